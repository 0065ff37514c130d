import { expect } from "vitest";
import type { TestClient, TestServer } from "@ensemble/testkit";
import { DOC_FILE_MARKER } from "../../modules/docs/shared/documents.ts";
import { PNG } from "./chat.ts";

/**
 * What the accessibility pass (e2e/a11y-screens.test.ts) needs on screen to open every dialog and menu:
 * a channel Alice owns with a thread, a pinned and an edited message, a long code line, an image, a message
 * of Bruno's (to report) and a report of one of hers (for moderation), an incoming webhook, a second
 * channel (to forward to), a group (its members dialog), a document and a board.
 */
export interface AuditData {
  admin: { username: string; id: string };
  roomId: string;
  docId: string;
  boardId: string;
}

async function signedIn(server: TestServer, u: { username: string; password: string }): Promise<TestClient> {
  const api = server.client();
  expect((await api.post("/api/auth/sign-in", { login: u.username, password: u.password })).status).toBe(200);
  return api;
}

export async function seedAudit(server: TestServer): Promise<AuditData> {
  const admin = await server.createUser({ role: "admin", displayName: "Alice Martin" });
  // Someone to find in « Nouveau message direct », to report and to act on in room settings › Membres.
  const bruno = await server.createUser({ displayName: "Bruno Petit" });
  const api = await signedIn(server, admin);
  const brunoApi = await signedIn(server, bruno);
  // A channel Alice owns: its menu offers settings, moderation and integrations.
  const room = await api.post<{ id: string }>("/api/chat/rooms", { type: "channel", slug: "projet-tramway" });
  expect(room.status).toBe(201);
  const roomId = room.body.id;
  expect((await api.post("/api/chat/rooms", { type: "channel", slug: "equipe-voirie" })).status).toBe(201);
  expect((await api.post(`/api/chat/rooms/${roomId}/members`, { userIds: [bruno.id] })).status).toBe(200);
  const post = async (as: TestClient, text: string, more: Record<string, unknown> = {}) => {
    const r = await as.post<{ id: string }>(`/api/chat/rooms/${roomId}/messages`, {
      clientKey: crypto.randomUUID(),
      text,
      ...more,
    });
    expect(r.status, r.text).toBe(201);
    return r.body.id;
  };
  const first = await post(api, "Bonjour à tous, voici le planning de la semaine.");
  await post(api, "Une réponse dans le fil", { parentId: first });
  await post(
    api,
    "```\nconst uneLigneDeCodeTresLongue = 'qui dépasse la largeur d’un téléphone sans aucun doute possible';\n```",
  );
  await api.request("PUT", `/api/chat/messages/${first}/pin`);
  // Its history sits behind « (modifié) ».
  const edit = await api.patch(`/api/chat/messages/${first}`, {
    text: "Bonjour à tous, voici le planning de la semaine !",
  });
  expect(edit.status, edit.text).toBe(200);
  const up = await api.request<{ attachment: unknown }>(
    "POST",
    `/api/chat/rooms/${roomId}/files?name=plan.png`,
    undefined,
    {
      raw: PNG,
      headers: { "content-type": "image/png" },
    },
  );
  expect(up.status, up.text).toBeLessThan(300);
  await post(api, "Le plan du site", { attachments: [up.body.attachment] });
  await post(brunoApi, "Une remarque de Bruno");
  const last = await post(api, "Le dernier message");
  expect((await brunoApi.post(`/api/chat/messages/${last}/reports`, { reason: "Spam" })).status).toBe(201);
  const hook = await api.post(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "Alertes" });
  expect(hook.status, hook.text).toBe(201);
  // @channel asks first in a room of more than one member (the confirmation dialog).
  expect((await api.patch("/api/chat/settings", { mentionAllConfirmThreshold: 1 })).status).toBe(200);
  expect((await api.post("/api/groups", { name: "Agents" })).status).toBe(201);

  const spaces = await api.get<{ spaces: { rootId: string }[] }>("/api/files/spaces");
  const root = spaces.body.spaces[0]!.rootId;
  const doc = await api.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${root}/files?name=${encodeURIComponent("Compte rendu.ensdoc")}`,
    undefined,
    { raw: Buffer.from(DOC_FILE_MARKER), headers: { "content-type": "application/vnd.ensemble.document+json" } },
  );
  expect(doc.status, doc.text).toBe(200);
  const board = await api.post<{ id: string }>("/api/boards", { title: "Lancement", lists: ["À faire", "En cours"] });
  expect(board.status).toBe(201);
  const view = await api.get<{ lists: { id: string }[] }>(`/api/boards/${board.body.id}`);
  const card = await api.post(`/api/boards/${board.body.id}/cards`, {
    listId: view.body.lists[0]!.id,
    title: "Relire le budget",
  });
  expect(card.status).toBe(201);
  return { admin, roomId, docId: doc.body.id, boardId: board.body.id };
}
