import type { WebHost } from "@ensemble/ui";
import type { FileNode, FileSpace, FolderListing } from "@ensemble/files/shared";
import { DOC_EXTENSION, DOC_FILE_MARKER } from "../shared/documents.ts";
import { SHEET_EXTENSION, SHEET_FILE_MARKER, SHEET_MEDIA_TYPE } from "../shared/sheets/sheet-file.ts";

/** What kind of co-edited file to make: its extension and the marker it holds. */
export interface NewFileKind {
  extension: string;
  marker: string;
  mediaType: string;
}

const textDocument: NewFileKind = {
  extension: DOC_EXTENSION,
  marker: DOC_FILE_MARKER,
  mediaType: "application/vnd.ensemble.document+json",
};

/** « Nouveau tableur »: a `.enssheet` file, made the same way. */
export const spreadsheet: NewFileKind = {
  extension: SHEET_EXTENSION,
  marker: SHEET_FILE_MARKER,
  mediaType: SHEET_MEDIA_TYPE,
};

/**
 * « Nouveau document »: a `.ensdoc` file in a folder (the personal space's
 * root by default), under a name no entry of the folder has yet, created
 * through Partageons' own API so its rules and quota apply.
 */
export async function createDocument(
  host: WebHost,
  untitled: string,
  folderId?: string,
  kind: NewFileKind = textDocument,
): Promise<FileNode> {
  const folder =
    folderId ?? (await host.api<{ spaces: FileSpace[] }>("GET", "/api/files/spaces")).spaces[0]?.rootId ?? null;
  if (folder === null) throw new Error("no space");
  const taken = new Set(
    (await host.api<FolderListing>("GET", `/api/files/nodes/${folder}`)).children.map((c) => c.name.toLowerCase()),
  );
  let name = `${untitled}${kind.extension}`;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${untitled} (${i})${kind.extension}`;
  const body = new Blob([kind.marker], { type: kind.mediaType });
  return host.api<FileNode>("PUT", `/api/files/nodes/${folder}/files?name=${encodeURIComponent(name)}`, body);
}
