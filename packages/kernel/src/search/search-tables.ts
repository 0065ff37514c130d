export interface SearchDocumentsTable {
  type: string;
  doc_id: string;
  scope: string;
  title: string;
  body: string;
  url: string | null;
  /** JSON object. */
  data: string;
  updated_at: string;
}

// A type alias (not an interface) so that Kysely's withTables<T>() accepts it.
export type SearchTables = { search_documents: SearchDocumentsTable };
