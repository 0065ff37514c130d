import type { Attachment, ChatMessage, Room, Sidebar } from "../shared/schemas.ts";
import type { Draft, MemberPage, Person, RoomPage } from "../shared/room-wire.ts";
import type {
  HistoryPage,
  MessageEnvelope,
  MessageList,
  ReactionToggled,
  SavedItem,
  SavedState,
  ThreadPage,
  UploadedFile,
} from "../shared/message-wire.ts";
import type { ChatHost } from "./host.tsx";

// The shapes are the server's response schemas (modules/chat/shared/*-wire.ts), never copied here.
export type { Draft, HistoryPage, Person, ThreadPage, UploadedFile };

const enc = encodeURIComponent;

/** Typed calls to the chat API (shapes from modules/chat/shared). */
export function chatApi(h: ChatHost) {
  const get = <T>(p: string) => h.api<T>("GET", p);
  return {
    sidebar: (unreadFirst = false) => get<Sidebar>(`/api/chat/sidebar${unreadFirst ? "?unreadFirst=true" : ""}`),
    room: (id: string) => get<Room>(`/api/chat/rooms/${id}`),
    /** Starts a call in the room: an instant meeting, announced there with a join button. */
    call: (id: string) => h.api<ChatMessage>("POST", `/api/chat/rooms/${id}/call`, {}),
    roomBySlug: (slug: string) => get<Room>(`/api/chat/rooms/by-slug/${enc(slug)}`),
    members: (id: string) => get<MemberPage>(`/api/chat/rooms/${id}/members?limit=200`),
    history: (id: string, q: { before?: string; after?: string; around?: string; limit?: number } = {}) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
      return get<HistoryPage>(`/api/chat/rooms/${id}/messages?${params}`);
    },
    thread: (id: string) => get<ThreadPage>(`/api/chat/messages/${id}/thread?limit=200`),
    message: (id: string) => get<ChatMessage>(`/api/chat/messages/${id}`),
    send: (
      roomId: string,
      body: {
        clientKey: string;
        text: string;
        parentId?: string;
        alsoInChannel?: boolean;
        quoteId?: string;
        attachments?: Attachment[];
        confirmAll?: boolean;
      },
    ) => h.api<ChatMessage>("POST", `/api/chat/rooms/${roomId}/messages`, body),
    edit: (id: string, text: string, confirmAll = false) =>
      h.api<ChatMessage>("PATCH", `/api/chat/messages/${id}`, { text, confirmAll }),
    remove: (id: string) => h.api<unknown>("DELETE", `/api/chat/messages/${id}`),
    react: (id: string, emoji: string) =>
      h.api<ReactionToggled>("POST", `/api/chat/messages/${id}/reactions`, { emoji }),
    pin: (id: string, on: boolean) => h.api<ChatMessage>(on ? "PUT" : "DELETE", `/api/chat/messages/${id}/pin`),
    save: (id: string, on: boolean) => h.api<SavedState>(on ? "PUT" : "DELETE", `/api/chat/messages/${id}/save`),
    saved: () => get<{ items: SavedItem[] }>("/api/chat/saved"),
    threads: () => get<MessageList>("/api/chat/threads?limit=100"),
    roomThreads: (roomId: string) => get<MessageList>(`/api/chat/rooms/${roomId}/threads?limit=50`),
    pins: (roomId: string) => get<MessageList>(`/api/chat/rooms/${roomId}/pins`),
    forward: (id: string, roomId: string, clientKey: string) =>
      h.api<ChatMessage>("POST", `/api/chat/messages/${id}/forward`, { roomId, clientKey }),
    removePreview: (id: string) => h.api<MessageEnvelope>("DELETE", `/api/chat/messages/${id}/preview`),
    markRead: (roomId: string) => h.api<Room>("POST", `/api/chat/rooms/${roomId}/read`, {}),
    markUnread: (roomId: string, messageId: string) =>
      h.api<Room>("POST", `/api/chat/rooms/${roomId}/unread`, { messageId }),
    preferences: (roomId: string, p: { favourite?: boolean; muted?: boolean }) =>
      h.api<Room>("PATCH", `/api/chat/rooms/${roomId}/preferences`, p),
    draft: (roomId: string) => get<Draft>(`/api/chat/rooms/${roomId}/draft`),
    saveDraft: (roomId: string, text: string) =>
      h.api<Draft>("PUT", `/api/chat/rooms/${roomId}/draft`, { text, parentId: null }),
    directory: (q: string) => get<RoomPage>(`/api/chat/directory?limit=100${q ? `&q=${enc(q)}` : ""}`),
    join: (roomId: string) => h.api<Room>("POST", `/api/chat/rooms/${roomId}/join`, {}),
    createRoom: (body: {
      type: "channel" | "private";
      slug?: string;
      name?: string;
      topic?: string;
      memberIds?: string[];
    }) => h.api<Room>("POST", "/api/chat/rooms", body),
    openDirect: (userIds: string[]) => h.api<Room>("POST", "/api/chat/direct", { userIds }),
    people: (q: string) => get<{ items: Person[] }>(`/api/users?limit=10${q ? `&q=${enc(q)}` : ""}`),
  };
}
export type ChatApi = ReturnType<typeof chatApi>;

export function csrfToken(): string | null {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "ensemble_csrf") return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** Uploads a file with XMLHttpRequest: fetch() cannot report upload progress. */
export function uploadFile(
  roomId: string,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<UploadedFile>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open("POST", `/api/chat/rooms/${roomId}/files?name=${enc(file.name)}`);
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.setRequestHeader("accept", "application/json");
    const token = csrfToken();
    if (token) xhr.setRequestHeader("x-csrf-token", token);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { code?: string; detail?: string } & Partial<UploadedFile> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON: reported by status below */
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.attachment) resolve(body as UploadedFile);
      else
        reject(
          Object.assign(new Error(body.detail ?? xhr.statusText), {
            code: body.code ?? "internal",
            status: xhr.status,
          }),
        );
    };
    xhr.onerror = () => reject(Object.assign(new Error("network"), { code: "network", status: 0 }));
    xhr.onabort = () => reject(Object.assign(new Error("aborted"), { code: "aborted", status: 0 }));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
