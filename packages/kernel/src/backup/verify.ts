import { createHash } from "node:crypto";
import * as tar from "tar";
import { BackupError, MANIFEST_NAME, manifestSchema, type Manifest } from "./manifest.ts";

/** Largest manifest we agree to parse (a million files is well under this). */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/**
 * Reads an archive once, end to end, and checks every file against the
 * manifest it carries (first entry): the same set of files with the recorded
 * sizes and sha256. Nothing is written to disk.
 */
export async function verifyArchive(file: string): Promise<{ manifest: Manifest | null; problems: string[] }> {
  const problems: string[] = [];
  const seen = new Map<string, { size: number; sha256: string }>();
  let manifestText: string | null = null;
  const reading: Promise<void>[] = [];
  await tar.list({
    file,
    strict: true,
    onReadEntry: (entry) => {
      const name = entry.path.replace(/^\.\//, "");
      if (entry.type === "Directory") return;
      if (entry.type !== "File") {
        problems.push(`${name}: unexpected ${entry.type} entry`);
        return;
      }
      const h = createHash("sha256");
      const chunks: Buffer[] = [];
      let size = 0;
      entry.on("data", (chunk: Buffer) => {
        size += chunk.length;
        h.update(chunk);
        if (name === MANIFEST_NAME && size <= MAX_MANIFEST_BYTES) chunks.push(chunk);
      });
      reading.push(
        new Promise<void>((resolve) =>
          entry.on("end", () => {
            if (name === MANIFEST_NAME) manifestText = Buffer.concat(chunks).toString("utf8");
            else seen.set(name, { size, sha256: h.digest("hex") });
            resolve();
          }),
        ),
      );
    },
  });
  await Promise.all(reading);
  if (manifestText === null)
    return { manifest: null, problems: [...problems, `${MANIFEST_NAME}: missing: this is not an Ensemble backup`] };
  const manifest = parseManifest(manifestText);
  for (const f of manifest.files) {
    const got = seen.get(f.path);
    if (!got) problems.push(`${f.path}: listed in the manifest but missing from the archive`);
    else if (got.size !== f.size || got.sha256 !== f.sha256)
      problems.push(`${f.path}: checksum does not match the manifest`);
    seen.delete(f.path);
  }
  for (const extra of seen.keys()) problems.push(`${extra}: not listed in the manifest`);
  return { manifest, problems };
}

export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupError(`${MANIFEST_NAME} is not valid JSON: this is not an Ensemble backup, or it is damaged.`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new BackupError(`${MANIFEST_NAME} is not an Ensemble backup manifest.`);
  return parsed.data;
}
