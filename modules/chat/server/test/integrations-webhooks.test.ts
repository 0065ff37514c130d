import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncomingWebhook } from "@slack/webhook";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";
import { createRoom, history, send, startReceiver, type Receiver } from "./extras-fixtures.ts";

let server: TestServer;
let receiver: Receiver;
let owner: TestClient;
let member: TestClient;
let outsider: TestClient;
let memberId: string;
let roomId: string;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ env: { OUTBOUND_ALLOW: `127.0.0.1:${receiver.port}`, EVENT_RETRY_BASE_MS: "20" } });
  owner = (await server.signedIn()).client;
  const m = await server.signedIn();
  member = m.client;
  memberId = m.user.id;
  outsider = (await server.signedIn()).client;
  roomId = await createRoom(owner, { memberIds: [memberId] });
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe("incoming webhooks", () => {
  it("are managed by room managers only; the secret URL is shown once", async () => {
    expect((await member.post(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "CI" })).status).toBe(403);
    expect((await outsider.post(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "CI" })).status).toBe(404);
    expect((await owner.post(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "" })).status).toBe(400);
    const r = await owner.post<{ id: string; url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, {
      name: "CI",
    });
    expect(r.status).toBe(201);
    expect(r.body.url).toMatch(new RegExp(`/hooks/${r.body.id}/[A-Za-z0-9_-]{20,}$`));
    const list = await owner.get<{ items: Record<string, unknown>[] }>(`/api/chat/rooms/${roomId}/incoming-webhooks`);
    expect(list.body.items.map((h) => h.id)).toContain(r.body.id);
    expect(JSON.stringify(list.body)).not.toContain(r.body.url.split("/").at(-1)!);
    expect((await member.get(`/api/chat/rooms/${roomId}/incoming-webhooks`)).status).toBe(403);
  });

  it("accept messages from the official @slack/webhook client, attachments included", async () => {
    const created = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, {
      name: "Supervision",
    });
    const url = created.body.url.replace(server.config.publicUrl, server.url);
    const hook = new IncomingWebhook(url, { username: "Nagios" });
    const res = await hook.send({
      text: "Alerte sur *srv-01* : <https://status.example.org/srv-01|voir le détail>",
      icon_emoji: ":warning:",
      attachments: [
        {
          color: "danger",
          pretext: "Incident ouvert",
          title: "CPU > 95 %",
          title_link: "https://status.example.org/incidents/42",
          text: "Depuis _10 minutes_",
          fields: [
            { title: "Hôte", value: "srv-01", short: true },
            { title: "Priorité", value: "haute", short: true },
          ],
          footer: "Supervision",
        },
      ],
    });
    expect(res.text).toBe("ok");
    const msgs = await history(member, roomId);
    const m = msgs.find((x) => x.kind === "webhook" && x.text.includes("srv-01"));
    expect(m).toBeDefined();
    expect(m!.authorId).toBeNull();
    expect(m!.text).toBe("Alerte sur **srv-01** : [voir le détail](https://status.example.org/srv-01)");
    expect(m!.meta).toMatchObject({ username: "Nagios", iconEmoji: ":warning:" });
    expect(m!.attachments).toEqual([
      {
        color: "#a30200",
        pretext: "Incident ouvert",
        title: "CPU > 95 %",
        title_link: "https://status.example.org/incidents/42",
        text: "Depuis _10 minutes_",
        fields: [
          { title: "Hôte", value: "srv-01", short: true },
          { title: "Priorité", value: "haute", short: true },
        ],
        footer: "Supervision",
      },
    ]);
  });

  it("show Block Kit messages (sections, header, fields, context) as text", async () => {
    const created = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, {
      name: "Blocks",
    });
    const hook = new IncomingWebhook(created.body.url.replace(server.config.publicUrl, server.url));
    await hook.send({
      text: "fallback only for notifications",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Mise en production" } },
        {
          type: "section",
          text: { type: "mrkdwn", text: "Version *2.4* déployée" },
          fields: [{ type: "mrkdwn", text: "*Env* : prod" }],
        },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "par CI" }] },
        { type: "image", image_url: "https://cdn.example.org/x.png", alt_text: "x" },
      ],
    });
    const m = (await history(member, roomId)).find((x) => x.text.startsWith("**Mise en production**"));
    expect(m?.text).toBe("**Mise en production**\n\nVersion **2.4** déployée\n\n**Env** : prod\n\n---\n\npar CI");
  });

  it("accept the payload= form field, and proxy third-party icons and images", async () => {
    const created = await owner.post<{ url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, { name: "Form" });
    const url = created.body.url.replace(server.config.publicUrl, server.url);
    const payload = JSON.stringify({
      text: "formulaire",
      username: "Robot",
      icon_url: "https://cdn.example.org/robot.png",
      attachments: [{ image_url: "https://cdn.example.org/graph.png", text: "graphe" }],
    });
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ payload }),
    });
    expect(r.status).toBe(200);
    const m = (await history(member, roomId)).find((x) => x.text === "formulaire")!;
    expect(m.meta?.username).toBe("Robot");
    expect(String(m.meta?.iconUrl)).toMatch(
      /^\/api\/chat\/preview-image\?url=https%3A%2F%2Fcdn\.example\.org%2Frobot\.png&sig=/,
    );
    expect(m.attachments?.[0]?.image_url).toMatch(/^\/api\/chat\/preview-image\?url=/);
  });

  it("refuse a wrong secret, a bad payload, and a deleted hook, posting nothing", async () => {
    const created = await owner.post<{ id: string; url: string }>(`/api/chat/rooms/${roomId}/incoming-webhooks`, {
      name: "Temp",
    });
    const url = created.body.url.replace(server.config.publicUrl, server.url);
    const before = (await history(owner, roomId)).length;
    const post = (u: string, body: unknown) =>
      fetch(u, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post(`${url}x`, { text: "a" })).status).toBe(404);
    expect((await post(`${server.url}/hooks/not-an-id/secret`, { text: "a" })).status).toBe(404);
    expect((await post(url, { username: "nothing to say" })).status).toBe(400);
    expect((await post(url, { text: 42 })).status).toBe(400);
    const bad = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "payload=%7Bnot-json",
    });
    expect(bad.status).toBe(400);
    expect((await history(owner, roomId)).length).toBe(before);
    expect((await member.delete(`/api/chat/incoming-webhooks/${created.body.id}`)).status).toBe(403);
    expect((await owner.delete(`/api/chat/incoming-webhooks/${created.body.id}`)).status).toBe(204);
    expect((await post(url, { text: "after delete" })).status).toBe(404);
  });
});

describe("outgoing webhooks", () => {
  it("POST trigger-word messages with Slack field names and a valid signature; the reply is posted back", async () => {
    expect(
      (await member.post(`/api/chat/rooms/${roomId}/outgoing-webhooks`, { name: "x", url: `${receiver.url}/hook` }))
        .status,
    ).toBe(403);
    expect(
      (await owner.post(`/api/chat/rooms/${roomId}/outgoing-webhooks`, { name: "x", url: "ftp://example.org/" }))
        .status,
    ).toBe(400);
    const created = await owner.post<{ id: string; token: string; signingSecret: string }>(
      `/api/chat/rooms/${roomId}/outgoing-webhooks`,
      {
        name: "Déploiement",
        url: `${receiver.url}/hook`,
        triggerWords: ["!deploy"],
      },
    );
    expect(created.status).toBe(201);
    let failFirst = true;
    receiver.respond = (req) => {
      if (!req.url.startsWith("/hook")) return { status: 404 };
      // The first delivery fails: the kernel's retry must deliver it again, once.
      if (failFirst) {
        failFirst = false;
        return { status: 503 };
      }
      return { status: 200, type: "application/json", body: JSON.stringify({ text: "Déploiement de *prod* lancé" }) };
    };
    receiver.requests.length = 0;
    await send(member, roomId, "bonjour tout le monde");
    const sent = await send(member, roomId, "!deploy prod");
    expect(sent.status).toBe(201);
    await waitFor(
      async () => (await history(member, roomId)).some((m) => m.text === "Déploiement de **prod** lancé"),
      "the webhook reply",
    );
    const hookCalls = receiver.requests.filter((r) => r.url === "/hook");
    expect(hookCalls.length).toBe(2);
    const last = hookCalls[1]!;
    expect(last.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const fields = Object.fromEntries(new URLSearchParams(last.body));
    expect(fields).toMatchObject({
      token: created.body.token,
      team_id: "ensemble",
      channel_id: roomId,
      user_id: memberId,
      text: "!deploy prod",
      trigger_word: "!deploy",
      post_id: sent.body.id,
    });
    expect(fields.channel_name).toMatch(/^r/);
    expect(fields.user_name).toBeTruthy();
    expect(Number(fields.timestamp)).toBeGreaterThan(1_700_000_000);
    const ts = String(last.headers["x-ensemble-request-timestamp"]);
    const expected = `v0=${createHmac("sha256", created.body.signingSecret).update(`v0:${ts}:${last.body}`).digest("hex")}`;
    expect(last.headers["x-ensemble-signature"]).toBe(expected);
    expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(60);
    const replies = (await history(member, roomId)).filter((m) => m.text === "Déploiement de **prod** lancé");
    expect(replies).toHaveLength(1);
    expect(replies[0]!.kind).toBe("webhook");
    expect(replies[0]!.meta?.username).toBe("Déploiement");
    await owner.delete(`/api/chat/outgoing-webhooks/${created.body.id}`);
  });

  it("without trigger words, POST every person's message of the room but not integration messages", async () => {
    const created = await owner.post<{ id: string }>(`/api/chat/rooms/${roomId}/outgoing-webhooks`, {
      name: "Archive",
      url: `${receiver.url}/all`,
    });
    receiver.respond = () => ({ status: 200 });
    receiver.requests.length = 0;
    await send(member, roomId, "premier");
    await send(owner, roomId, "second");
    await waitFor(() => receiver.requests.length >= 2, "two deliveries");
    const texts = receiver.requests.map((r) => new URLSearchParams(r.body).get("text"));
    expect(texts).toEqual(["premier", "second"]);
    expect(new URLSearchParams(receiver.requests[0]!.body).get("trigger_word")).toBe("");
    await owner.delete(`/api/chat/outgoing-webhooks/${created.body.id}`);
  });
});

describe("outgoing webhooks, retries", () => {
  it("retry only the receiver that failed: the one that answered is not called again", async () => {
    const room = await createRoom(owner, { memberIds: [memberId] });
    const good = await owner.post<{ id: string }>(`/api/chat/rooms/${room}/outgoing-webhooks`, {
      name: "Bon",
      url: `${receiver.url}/good`,
    });
    const bad = await owner.post<{ id: string }>(`/api/chat/rooms/${room}/outgoing-webhooks`, {
      name: "Panne",
      url: `${receiver.url}/bad`,
    });
    receiver.requests.length = 0;
    receiver.respond = (req) =>
      req.url === "/bad"
        ? { status: 500 }
        : { status: 200, type: "application/json", body: JSON.stringify({ text: "vu" }) };
    await send(member, room, "un message");
    await waitFor(
      () => receiver.requests.filter((r) => r.url === "/bad").length >= 3,
      "three attempts at the failing receiver",
    );
    expect(receiver.requests.filter((r) => r.url === "/good")).toHaveLength(1);
    expect((await history(member, room)).filter((m) => m.text === "vu")).toHaveLength(1);
    await owner.delete(`/api/chat/outgoing-webhooks/${bad.body.id}`);
    await owner.delete(`/api/chat/outgoing-webhooks/${good.body.id}`);
  });
});

describe("webhook signature helper", () => {
  it("matches Slack's documented example", async () => {
    const { signRequest } = await import("../integrations/outgoing-webhooks.ts");
    // From Slack's "Verifying requests from Slack" documentation.
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signRequest("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });
});
