import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { archiveSize, createBackup, BackupError } from "@ensemble/kernel/composition";
import { UsageError, type Command } from "./command.ts";

const USAGE = "Usage: ensemble backup <file.tar.gz>";

export function ensembleVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

export const backup: Command = {
  summary: "Write an online backup (SQLite database + file store) to one .tar.gz",
  run: async (args, config) => {
    let file: string | undefined;
    try {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new UsageError(`${USAGE}\n(expected one archive file name)`);
      file = positionals[0];
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${(e as Error).message}\n${USAGE}`);
    }
    try {
      const r = await createBackup(config, file!, { ensembleVersion: ensembleVersion() });
      const mb = ((await archiveSize(r.archive)) / 1_048_576).toFixed(1);
      const what = r.manifest.database.included ? "the SQLite database and " : "";
      process.stdout.write(
        `Backup written to ${r.archive} (${mb} MB): ${what}${r.manifest.fileCount} stored file(s), verified.\n`,
      );
      if (r.pgDumpCommand) {
        process.stdout.write(
          "\nThe database is PostgreSQL: it is NOT in this archive. Back it up with pg_dump, run just before this command:\n" +
            `  ${r.pgDumpCommand}\n`,
        );
      }
      return 0;
    } catch (e) {
      // File-system errors (permissions, full disk) read well enough as they are; anything else is a bug.
      if (!(e instanceof BackupError) && typeof (e as NodeJS.ErrnoException).code !== "string") throw e;
      process.stderr.write(`Backup failed: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
