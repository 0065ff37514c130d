import type { Command } from "./command.ts";
import { serve } from "./serve.ts";
import { migrate } from "./migrate.ts";
import { user } from "./user.ts";
import { backup } from "./backup.ts";
import { restore } from "./restore.ts";

export const commands: Record<string, Command> = {
  serve,
  migrate,
  user,
  backup,
  restore,
};
