/** Link previews: the cache of page metadata and the previews people removed from their messages. */
export interface ChatLinkPreviewsTable {
  url_hash: string;
  url: string;
  data: string | null;
  fetched_at: string;
  expires_at: string;
}

export interface ChatPreviewRemovalsTable {
  message_id: string;
  removed_at: string;
}
