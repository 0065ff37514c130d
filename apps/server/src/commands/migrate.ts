import { createKernel } from "@ensemble/kernel";
import { runMigrations } from "../server.ts";
import type { Command } from "./command.ts";

export const migrate: Command = {
  summary: "Apply pending database migrations",
  run: async (_args, config) => {
    // Migrations touch only the database: a short-lived Redis connection would be opened and torn down for nothing.
    const kernel = await createKernel({ ...config, REDIS_URL: undefined });
    try {
      const r = await runMigrations(kernel);
      const applied = (r.results ?? []).filter((x) => x.status === "Success").map((x) => x.migrationName);
      process.stdout.write(applied.length ? `Applied:\n  ${applied.join("\n  ")}\n` : "Database is up to date.\n");
      return 0;
    } finally {
      await kernel.close();
    }
  },
};
