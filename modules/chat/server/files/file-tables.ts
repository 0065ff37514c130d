/** Files in messages: uploads and the rooms a shared file was forwarded into. */
export interface ChatFilesTable {
  id: string;
  owner_id: string;
  room_id: string;
  message_id: string | null;
  name: string;
  size: number;
  mime_type: string;
  blob_key: string;
  thumb_key: string | null;
  width: number | null;
  height: number | null;
  created_at: string;
}

export interface ChatFileRoomsTable {
  file_id: string;
  room_id: string;
  message_id: string;
  shared_by: string | null;
}
