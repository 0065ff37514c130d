import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimeClient } from "@ensemble/client";
import { realtimeClient, startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import type { ChatMessage } from "../../shared/schemas.ts";
import { createRoom, history, send, startReceiver, type Receiver } from "./extras-fixtures.ts";

let server: TestServer;
let app: Receiver;
let admin: TestClient;
let owner: TestClient;
let member: TestClient;
let memberUser: { id: string; username: string };
let roomId: string;
const sockets: RealtimeClient[] = [];

beforeAll(async () => {
  app = await startReceiver();
  server = await startTestServer({ env: { OUTBOUND_ALLOW: `127.0.0.1:${app.port}` } });
  admin = (await server.signedIn({ role: "admin" })).client;
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  memberUser = m.user;
  roomId = await createRoom(owner, { memberIds: [m.user.id] });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
  await app.close();
});

const run = (c: TestClient, command: string, text = "", extra: Record<string, unknown> = {}) =>
  c.post<Record<string, unknown>>(`/api/chat/rooms/${roomId}/commands`, { command, text, ...extra });

/** Ephemeral messages this person's devices receive on `user:<id>`. */
async function ephemeralFeed(c: TestClient, userId: string): Promise<{ texts: string[] }> {
  const feed = { texts: [] as string[] };
  const rt = realtimeClient(server.url, c);
  sockets.push(rt);
  const sub = rt.subscribe(`user:${userId}`, {
    onEvent: (e) => {
      if (e.name === "chat.ephemeral.posted")
        feed.texts.push((e.payload as { message: { text: string } }).message.text);
    },
  });
  await sub.ready;
  return feed;
}

describe("built-in slash commands", () => {
  it("/me and /shrug post in the room as the person", async () => {
    const me = await run(member, "/me", "prend un café");
    expect(me.status).toBe(200);
    expect(me.body.responseType).toBe("in_channel");
    const shrug = await run(member, "/shrug", "aucune idée");
    const msgs = await history(owner, roomId);
    expect(msgs.map((m) => m.text)).toEqual(
      expect.arrayContaining(["_prend un café_", "aucune idée ¯\\\\\\_(ツ)\\_/¯"]),
    );
    expect((shrug.body.message as ChatMessage).authorId).toBe(memberUser.id);
    expect((await run(member, "/me", "")).status).toBe(400);
  });

  it("/topic follows the room's rules: the owner may, a member may not", async () => {
    expect((await run(member, "/topic", "nouveau sujet")).status).toBe(403);
    const r = await run(owner, "/topic", "Budget 2027");
    expect(r.status).toBe(200);
    expect(r.body.responseType).toBe("ephemeral");
    expect((await owner.get<{ topic: string }>(`/api/chat/rooms/${roomId}`)).body.topic).toBe("Budget 2027");
  });

  it("/invite @user adds them; /leave removes the person; /mute silences the room for them", async () => {
    const newcomer = await server.signedIn();
    expect((await run(owner, "/invite", "@nobody-here")).status).toBe(400);
    expect((await run(owner, "/invite", `@${newcomer.user.username}`)).status).toBe(200);
    expect((await newcomer.client.get(`/api/chat/rooms/${roomId}`)).status).toBe(200);
    const muted = await run(newcomer.client, "/mute");
    expect(muted.status).toBe(200);
    const view = await newcomer.client.get<{ membership: { muted: boolean } }>(`/api/chat/rooms/${roomId}`);
    expect(view.body.membership.muted).toBe(true);
    expect((await run(newcomer.client, "/leave")).status).toBe(200);
    expect((await newcomer.client.get(`/api/chat/rooms/${roomId}`)).status).toBe(404);
  });

  it("answers only the caller, on their own realtime topic", async () => {
    const feed = await ephemeralFeed(member, memberUser.id);
    const before = (await history(owner, roomId)).length;
    const r = await run(member, "/mute");
    expect(r.body).toMatchObject({ responseType: "ephemeral" });
    expect(String(r.body.text)).toContain("Salon rendu silencieux");
    await waitFor(() => feed.texts.some((t) => t.includes("Salon rendu silencieux")), "the ephemeral message");
    expect((await history(owner, roomId)).length).toBe(before);
    expect((await run(member, "/unmute")).status).toBe(200);
  });

  it("answers in the language of the person who typed the command", async () => {
    expect((await member.patch("/api/me", { locale: "en" })).status).toBe(200);
    const r = await run(member, "/mute");
    expect(String(r.body.text)).toContain("Room muted");
    expect((await member.patch("/api/me", { locale: "fr" })).status).toBe(200);
    expect(String((await run(member, "/unmute")).body.text)).toContain("Notifications du salon réactivées");
    expect((await owner.patch("/api/me", { locale: "en" })).status).toBe(200);
    const topic = await run(owner, "/topic", "Budget 2027");
    expect(topic.status).toBe(200);
    expect(topic.body.text).toBe("Room topic: Budget 2027");
    expect((await owner.patch("/api/me", { locale: "fr" })).status).toBe(200);
    expect((await run(owner, "/topic")).body.text).toBe("Le sujet du salon a été effacé.");
  });

  it("refuses unknown commands, bad names and outsiders", async () => {
    expect((await run(member, "/nope")).status).toBe(404);
    expect((await run(member, "nope")).status).toBe(400);
    const outsider = (await server.signedIn()).client;
    expect((await run(outsider, "/me", "x")).status).toBe(404);
  });
});

describe("custom slash commands", () => {
  it("are defined by administrators only", async () => {
    expect((await member.post("/api/chat/commands", { command: "/meteo", url: `${app.url}/meteo` })).status).toBe(403);
    expect((await admin.post("/api/chat/commands", { command: "/me", url: `${app.url}/x` })).status).toBe(409);
    expect((await admin.post("/api/chat/commands", { command: "meteo", url: `${app.url}/x` })).status).toBe(400);
  });

  it("round-trip Slack-style: form fields out, ephemeral or in-channel replies back, and a delayed reply through response_url", async () => {
    const created = await admin.post<{ id: string; token: string }>("/api/chat/commands", {
      command: "/meteo",
      url: `${app.url}/meteo`,
      description: "La météo",
    });
    expect(created.status).toBe(201);
    const list = await member.get<{ items: { command: string; url?: string }[] }>("/api/chat/commands");
    const listed = list.body.items.find((c) => c.command === "/meteo");
    expect(listed).toBeDefined();
    expect(listed!.url).toBeUndefined();
    app.requests.length = 0;
    app.respond = (req) => {
      const f = new URLSearchParams(req.body);
      if (f.get("text") === "public")
        return {
          type: "application/json",
          body: JSON.stringify({
            response_type: "in_channel",
            text: "Soleil sur *Lyon*",
            attachments: [{ title: "Demain", text: "22 °C" }],
          }),
        };
      if (f.get("text") === "later") return { status: 200, body: "" };
      return { type: "application/json", body: JSON.stringify({ text: "Seulement pour vous" }) };
    };
    const feed = await ephemeralFeed(member, memberUser.id);
    const eph = await run(member, "/meteo", "privé");
    expect(eph.body).toMatchObject({ responseType: "ephemeral", text: "Seulement pour vous" });
    await waitFor(() => feed.texts.includes("Seulement pour vous"), "the ephemeral reply");

    const req = app.requests[0]!;
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const f = Object.fromEntries(new URLSearchParams(req.body));
    expect(f).toMatchObject({
      token: created.body.token,
      team_id: "ensemble",
      channel_id: roomId,
      user_id: memberUser.id,
      user_name: memberUser.username,
      command: "/meteo",
      text: "privé",
    });
    expect(f.channel_name).toBeTruthy();
    expect(f.trigger_id).toMatch(/^[0-9a-f]{24}$/);
    expect(f.response_url).toMatch(/\/hooks\/commands\/[A-Za-z0-9_-]+$/);
    const ts = String(req.headers["x-ensemble-request-timestamp"]);
    expect(req.headers["x-ensemble-signature"]).toBe(
      `v0=${createHmac("sha256", created.body.token).update(`v0:${ts}:${req.body}`).digest("hex")}`,
    );

    const pub = await run(member, "/meteo", "public");
    expect(pub.body.responseType).toBe("in_channel");
    const posted = (await history(owner, roomId)).find((m) => m.id === pub.body.messageId)!;
    expect(posted).toMatchObject({
      kind: "bot",
      text: "Soleil sur **Lyon**",
      attachments: [{ title: "Demain", text: "22 °C" }],
    });
    expect(posted.meta).toMatchObject({ username: "/meteo", command: "/meteo", invokedBy: memberUser.id });

    const later = await run(member, "/meteo", "later");
    expect(later.body.responseType).toBe("none");
    const responseUrl = Object.fromEntries(new URLSearchParams(app.requests.at(-1)!.body)).response_url!.replace(
      server.config.publicUrl,
      server.url,
    );
    const delayed = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "in_channel", text: "Réponse différée" }),
    });
    expect(delayed.status).toBe(200);
    expect((await history(owner, roomId)).some((m) => m.text === "Réponse différée" && m.kind === "bot")).toBe(true);
    const bad = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ nothing: true }),
    });
    expect(bad.status).toBe(400);
    for (let i = 0; i < 3; i++)
      await fetch(responseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: `encore ${i}` }),
      });
    // Five uses at most (the refused one counted): the next is refused.
    const spent = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "trop" }),
    });
    expect(spent.status).toBe(404);
    expect(
      (
        await fetch(`${server.url}/hooks/commands/unknown`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(404);
  });

  it("refuse a muted member like the send route does: the command's server is never called, nothing reaches the room", async () => {
    app.respond = () => ({
      type: "application/json",
      body: JSON.stringify({ response_type: "in_channel", text: "Message d'une personne réduite au silence" }),
    });
    // A delayed answer through a response_url obtained before the mute.
    const before = await run(member, "/meteo", "avant");
    expect(before.status).toBe(200);
    const responseUrl = Object.fromEntries(new URLSearchParams(app.requests.at(-1)!.body)).response_url!.replace(
      server.config.publicUrl,
      server.url,
    );
    expect((await owner.post(`/api/chat/rooms/${roomId}/mutes`, { userId: memberUser.id })).status).toBe(200);
    const calls = app.requests.length;
    const refused = await run(member, "/meteo", "bonjour");
    expect(refused.status).toBe(403);
    expect((refused.body as { code?: string }).code).toBe("chat_muted");
    expect(app.requests.length).toBe(calls);
    const shrug = await run(member, "/shrug", "tant pis");
    expect(shrug.status).toBe(403);
    expect((shrug.body as { code?: string }).code).toBe("chat_muted");
    const delayed = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "in_channel", text: "Réponse différée muette" }),
    });
    expect(delayed.status).toBe(403);
    const texts = (await history(owner, roomId)).map((m) => m.text);
    expect(texts).not.toContain("Réponse différée muette");
    expect(texts.filter((t) => t === "Message d'une personne réduite au silence")).toHaveLength(1);
    expect((await owner.delete(`/api/chat/rooms/${roomId}/mutes/${memberUser.id}`)).status).toBe(204);
    expect((await run(member, "/meteo", "après")).status).toBe(200);
  });

  it("tell the person when the command's server fails or is refused", async () => {
    app.respond = () => ({ status: 500 });
    const r = await run(member, "/meteo", "x");
    expect(r.body.responseType).toBe("ephemeral");
    expect(String(r.body.text)).toContain("HTTP 500");
    await admin.post("/api/chat/commands", { command: "/interne", url: "http://10.0.0.1/cmd" });
    const refused = await run(member, "/interne", "x");
    expect(String(refused.body.text)).toContain("injoignable");
  });
});

describe("bot accounts", () => {
  it("are created by administrators with a token that uses the same REST API; their messages are bot messages", async () => {
    expect((await member.post("/api/chat/bots", { username: "robot", displayName: "Robot" })).status).toBe(403);
    const r = await admin.post<{ bot: { id: string }; token: string }>("/api/chat/bots", {
      username: "robot-rh",
      displayName: "Robot RH",
    });
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^ens_/);
    await owner.post(`/api/chat/rooms/${roomId}/members`, { userIds: [r.body.bot.id] });
    const bot = server.client();
    bot.headers.authorization = `Bearer ${r.body.token}`;
    // The same WebSocket as the web app, authenticated by the token.
    const rt = realtimeClient(server.url, undefined, {
      createSocket: (url) =>
        new WebSocket(url, { headers: { authorization: `Bearer ${r.body.token}` } } as unknown as string[]),
    });
    sockets.push(rt);
    const seen: string[] = [];
    await rt.subscribe(`room:${roomId}`, {
      onEvent: (e) =>
        void (e.name === "chat.message.created" && seen.push((e.payload as { message: ChatMessage }).message.text)),
    }).ready;
    await send(owner, roomId, "Bienvenue au robot");
    await waitFor(() => seen.includes("Bienvenue au robot"), "the bot receiving a room message over /ws");
    const sent = await send(bot, roomId, "Bonjour, je suis le robot RH");
    expect(sent.status).toBe(201);
    expect(sent.body.kind).toBe("bot");
    expect(sent.body.authorId).toBe(r.body.bot.id);
    const listed = await admin.get<{ items: { id: string; active: boolean }[] }>("/api/chat/bots");
    expect(listed.body.items.find((b) => b.id === r.body.bot.id)?.active).toBe(true);
    expect((await admin.delete(`/api/chat/bots/${r.body.bot.id}`)).status).toBe(204);
    expect((await send(bot, roomId, "encore là ?")).status).toBe(401);
    // Through the kernel's accounts API: the account, its token and its deactivation are in the audit log.
    type Entry = {
      action: string;
      target: { id: string } | null;
      details: { payload?: { via?: string }; userId?: string };
    };
    const audited = async () =>
      (await admin.get<{ items: Entry[] }>("/api/admin/audit?action=accounts.*")).body.items.filter(
        (e) => e.target?.id === r.body.bot.id || e.details.userId === r.body.bot.id,
      );
    await waitFor(
      async () => (await audited()).some((e) => e.action === "accounts.user.deactivated"),
      "the bot's deactivation in the audit log",
    );
    const actions = (await audited()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["accounts.user.created", "accounts.token.created"]));
    expect((await audited()).find((e) => e.action === "accounts.user.deactivated")?.details.payload?.via).toBe("bot");
  });
});
