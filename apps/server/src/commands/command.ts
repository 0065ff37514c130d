import type { Config } from "@ensemble/kernel";

export interface Command {
  summary: string;
  /** `serve` keeps the process alive; others end when they return. */
  keepsRunning?: boolean;
  run(args: string[], config: Config): Promise<number>;
}

export class UsageError extends Error {
  override name = "UsageError";
}
