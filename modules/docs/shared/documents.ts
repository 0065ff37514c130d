/** Where the co-editing socket is mounted (Hocuspocus protocol; one document name = one file id). */
export const COLLAB_PATH = "/collab";

/** A co-edited document is a file of Partageons with this extension; its text lives in the docs tables. */
export const DOC_EXTENSION = ".ensdoc";

/** What the file holds: a marker, so that a download or a sync client sees what the file is. */
export const DOC_FILE_MARKER = '{"type":"ensemble-document","version":1}\n';

export const isDocumentName = (name: string): boolean => name.toLowerCase().endsWith(DOC_EXTENSION);
