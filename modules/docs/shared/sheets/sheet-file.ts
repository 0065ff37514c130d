/** A co-edited spreadsheet (« tableur ») is a file of Partageons with this extension; its cells live in the docs tables. */
export const SHEET_EXTENSION = ".enssheet";

/** What the file holds: a marker, so that a download or a sync client sees what the file is. */
export const SHEET_FILE_MARKER = '{"type":"ensemble-spreadsheet","version":1}\n';

export const SHEET_MEDIA_TYPE = "application/vnd.ensemble.spreadsheet+json";

export const isSheetName = (name: string): boolean => name.toLowerCase().endsWith(SHEET_EXTENSION);
