import type { Command } from "./command.ts";
import { serve } from "./serve.ts";
import { migrate } from "./migrate.ts";

export const commands: Record<string, Command> = {
  serve,
  migrate,
};
