/**
 * « File openers »: how a service says which files of Partageons it opens and
 * where, so that the files UI links to the right page without importing the
 * service that opens them (modules never import each other's web side).
 */

/** What a module's web manifest declares in `fileOpeners`. */
export interface FileOpener {
  /** File name endings it opens, with their dot (`.ensdoc`); compared without case. */
  extensions?: readonly string[];
  /** Media types it opens (`text/markdown`), compared without case and parameters. */
  mediaTypes?: readonly string[];
  /** Where the file opens, under the signed-in layout: `:id` is replaced by the file's id (`/docs/:id`). */
  path: `/${string}:id${string}`;
}

/** What the files UI knows of a file when it asks. */
export interface OpenableFile {
  id: string;
  name: string;
  mediaType?: string | null;
}

const essence = (type: string) => type.split(";")[0]!.trim().toLowerCase();

function opens(opener: FileOpener, file: OpenableFile): boolean {
  const name = file.name.toLowerCase();
  if (opener.extensions?.some((ext) => name.endsWith(ext.toLowerCase()))) return true;
  const type = file.mediaType ? essence(file.mediaType) : null;
  return type !== null && (opener.mediaTypes ?? []).some((t) => essence(t) === type);
}

/**
 * The page that opens `file`: the first opener that claims it, in module-list
 * order (by name ending or media type), else null (the file is only downloaded).
 */
export function fileOpenPath(
  openers: readonly { fileOpeners?: readonly FileOpener[] }[],
  file: OpenableFile,
): string | null {
  for (const owner of openers) {
    for (const opener of owner.fileOpeners ?? []) {
      if (opens(opener, file)) return opener.path.replace(":id", encodeURIComponent(file.id));
    }
  }
  return null;
}
