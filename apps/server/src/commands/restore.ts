import { parseArgs } from "node:util";
import { restoreBackup, BackupError } from "@ensemble/kernel/composition";
import { UsageError, type Command } from "./command.ts";

const USAGE = "Usage: ensemble restore <file.tar.gz> [--force]";

export const restore: Command = {
  summary: "Restore a backup into DATA_DIR (--force to overwrite a non-empty one)",
  run: async (args, config) => {
    let file: string | undefined;
    let force = false;
    try {
      const { positionals, values } = parseArgs({
        args,
        allowPositionals: true,
        options: { force: { type: "boolean" } },
      });
      if (positionals.length !== 1) throw new UsageError(`${USAGE}\n(expected one archive file name)`);
      file = positionals[0];
      force = values.force ?? false;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${(e as Error).message}\n${USAGE}`);
    }
    try {
      const r = await restoreBackup(config, file!, { force });
      const what = r.databaseRestored ? "the SQLite database and " : "";
      process.stdout.write(
        `Restored ${what}${r.manifest.fileCount} stored file(s) from the backup of ${r.manifest.createdAt} into ${config.dataDir}; every checksum matched.\n`,
      );
      if (r.pgRestoreCommand) {
        process.stdout.write(
          "\nThe database is PostgreSQL: this archive held the file store only. Load the matching pg_dump file with:\n" +
            `  ${r.pgRestoreCommand}\n`,
        );
      }
      return 0;
    } catch (e) {
      // File-system errors (permissions, full disk) read well enough as they are; anything else is a bug.
      if (!(e instanceof BackupError) && typeof (e as NodeJS.ErrnoException).code !== "string") throw e;
      process.stderr.write(`Restore refused: ${(e as Error).message}\n`);
      return 1;
    }
  },
};
