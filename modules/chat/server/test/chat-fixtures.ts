import { matrixUser, type MatrixUser, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage, Room } from "../../shared/schemas.ts";

let keys = 0;
/** A fresh client key per send. */
export const clientKey = () => `k-${Date.now()}-${++keys}-${Math.random().toString(36).slice(2, 8)}`;

export type ChatUser = MatrixUser;

export const user = (s: TestServer, role: "admin" | "member" | "guest" = "member"): Promise<ChatUser> =>
  matrixUser(s, role);

export async function createRoom(
  c: TestClient,
  opts: {
    type?: "channel" | "private";
    slug?: string;
    memberIds?: string[];
    announcement?: boolean;
    name?: string;
  } = {},
): Promise<Room> {
  const r = await c.post<Room>("/api/chat/rooms", {
    type: opts.type ?? "channel",
    slug: opts.slug ?? `room-${Math.random().toString(36).slice(2, 10)}`,
    memberIds: opts.memberIds ?? [],
    announcement: opts.announcement ?? false,
    ...(opts.name ? { name: opts.name } : {}),
  });
  if (r.status !== 201) throw new Error(`create room: ${r.status} ${r.text}`);
  return r.body;
}

export async function openDm(c: TestClient, userIds: string[]): Promise<Room> {
  const r = await c.post<Room>("/api/chat/direct", { userIds });
  if (r.status !== 201 && r.status !== 200) throw new Error(`open dm: ${r.status} ${r.text}`);
  return r.body;
}

export async function send(
  c: TestClient,
  roomId: string,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<ChatMessage> {
  const r = await c.post<ChatMessage>(`/api/chat/rooms/${roomId}/messages`, { clientKey: clientKey(), text, ...extra });
  if (r.status !== 201 && r.status !== 200) throw new Error(`send: ${r.status} ${r.text}`);
  return r.body;
}

export async function history(
  c: TestClient,
  roomId: string,
  query = "",
): Promise<{ items: ChatMessage[]; hasMoreBefore: boolean; hasMoreAfter: boolean }> {
  const r = await c.get<{ items: ChatMessage[]; hasMoreBefore: boolean; hasMoreAfter: boolean }>(
    `/api/chat/rooms/${roomId}/messages${query}`,
  );
  if (r.status !== 200) throw new Error(`history: ${r.status} ${r.text}`);
  return r.body;
}

export async function invite(c: TestClient, roomId: string, userIds: string[]): Promise<void> {
  const r = await c.post(`/api/chat/rooms/${roomId}/members`, { userIds });
  if (r.status !== 200) throw new Error(`invite: ${r.status} ${r.text}`);
}

export async function setRole(
  c: TestClient,
  roomId: string,
  userId: string,
  role: "owner" | "moderator" | "member",
): Promise<void> {
  const r = await c.patch(`/api/chat/rooms/${roomId}/members/${userId}`, { role });
  if (r.status !== 200) throw new Error(`set role: ${r.status} ${r.text}`);
}
