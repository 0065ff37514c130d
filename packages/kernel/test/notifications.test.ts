import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelModules } from "./kernel-modules.ts";
import {
  realtimeClient,
  startPushEndpoint,
  startSmtpServer,
  startTestServer,
  waitFor,
  type TestClient,
  type TestPushEndpoint,
  type TestServer,
  type TestSmtpServer,
} from "@ensemble/testkit";
import { sessionClient } from "@ensemble/testkit/matrix";
import type { RealtimeClient } from "@ensemble/client";
import { inDoNotDisturb } from "../src/notifications/preferences.ts";
import type { StoredPrefs } from "../src/notifications/notification-types.ts";
import { memoModule } from "./notifications-fixture.ts";

interface Notification {
  id: string;
  kind: string;
  actorId: string | null;
  title: { key: string; params: Record<string, string>; text: string };
  body: { text: string } | null;
  link: string | null;
  importance: string;
  readAt: string | null;
}
interface List {
  items: Notification[];
  next: string | null;
  unreadCount: number;
}
type Person = { client: TestClient; user: { id: string; username: string; email: string | null } };

describe("notifications", () => {
  let s: TestServer;
  let push: TestPushEndpoint;
  let smtp: TestSmtpServer;
  let alice: Person;
  const sockets: RealtimeClient[] = [];
  beforeAll(async () => {
    push = await startPushEndpoint();
    smtp = await startSmtpServer();
    s = await startTestServer({
      modules: [...kernelModules, memoModule],
      // The test push service is on loopback: allowed explicitly, as an operator would an internal push service.
      env: {
        PUSH_ALLOW_HTTP_ENDPOINTS: "true",
        OUTBOUND_ALLOW: new URL(push.origin).host,
        SMTP_URL: smtp.url,
        NOTIFY_DIGEST_INTERVAL_MS: "100",
      },
    });
    alice = await person();
  });
  afterAll(async () => {
    for (const c of sockets) c.close();
    await s.close();
    await push.close();
    await smtp.close();
  });

  // Sessions made directly: this suite makes more users than the sign-in rate limit lets through.
  const person = async (): Promise<Person> => {
    const user = await s.createUser();
    return { client: await sessionClient(s, user.id), user };
  };
  const mention = async (who: Person | Person[], text: string, extra: Record<string, unknown> = {}) => {
    const ids = (Array.isArray(who) ? who : [who]).map((p) => p.user.id);
    const r = await alice.client.post("/api/memo/mentions", { userIds: ids, text, ...extra });
    expect(r.status).toBe(200);
  };
  const list = async (p: Person, q = "") => (await p.client.get<List>(`/api/notifications${q}`)).body;
  const arrived = (p: Person, n: number) =>
    waitFor(async () => (await list(p)).items.length >= n, `${n} notifications`);

  it("lands in the notification centre, live on user:<id>, never for one's own action", async () => {
    const bob = await person();
    const rt = realtimeClient(s.url, bob.client);
    sockets.push(rt);
    const live: { name: string; payload: { unreadCount: number; notification?: Notification } }[] = [];
    await rt.subscribe(`user:${bob.user.id}`, { onEvent: (e) => live.push(e as (typeof live)[number]) }).ready;

    await alice.client.post("/api/memo/mentions", { userIds: [bob.user.id, alice.user.id], text: "ordre du jour" });
    await waitFor(() => live.some((e) => e.name === "notifications.notification.created"), "live notification");
    const created = live.find((e) => e.name === "notifications.notification.created")!;
    expect(created.payload.unreadCount).toBe(1);
    expect(created.payload.notification).toMatchObject({
      kind: "memo.mention",
      actorId: alice.user.id,
      title: { key: "memo.mention.title", params: { who: alice.user.username } },
      body: { text: "ordre du jour" },
      link: "/memo/ordre%20du%20jour",
      readAt: null,
    });
    const l = await list(bob);
    expect(l.unreadCount).toBe(1);
    expect(l.items.map((n) => n.id)).toEqual([created.payload.notification!.id]);
    // The author mentioned themself too: nothing for them.
    expect((await list(alice)).items).toEqual([]);

    const id = l.items[0]!.id;
    const other = await person();
    expect((await other.client.post(`/api/notifications/${id}/read`)).status).toBe(404);
    expect((await bob.client.post(`/api/notifications/${id}/read`)).body).toEqual({ unreadCount: 0 });
    await waitFor(() => live.some((e) => e.name === "notifications.notification.read"), "live read event");
    expect((await bob.client.get("/api/notifications/unread-count")).body).toEqual({ unreadCount: 0 });
    expect((await list(bob)).items[0]!.readAt).not.toBeNull();
  });

  it("pages with a cursor, filters unread, marks all read", async () => {
    const bob = await person();
    for (let i = 0; i < 5; i++) await mention(bob, `n${i}`);
    await arrived(bob, 5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: List = await list(bob, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.unreadCount).toBe(5);
      seen.push(...page.items.map((n) => n.body!.text));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(["n4", "n3", "n2", "n1", "n0"]);
    const first = (await list(bob)).items[0]!;
    await bob.client.post(`/api/notifications/${first.id}/read`);
    expect((await list(bob, "?unread=true")).items.map((n) => n.body!.text)).toEqual(["n3", "n2", "n1", "n0"]);
    expect((await bob.client.post("/api/notifications/read-all")).body).toEqual({ marked: 4, unreadCount: 0 });
    expect((await list(bob, "?unread=true")).items).toEqual([]);
    expect((await bob.client.get("/api/notifications?cursor=%%%")).status).toBe(400);
    expect((await s.client().get("/api/notifications")).status).toBe(401);
  });

  it("keeps preferences per kind, with do-not-disturb in the user's time zone", async () => {
    const bob = await person();
    const prefs = await bob.client.get<{
      kinds: { kind: string }[];
      emailDelayMinutes: number;
      dnd: { enabled: boolean };
      timeZone: string;
    }>("/api/me/notification-preferences");
    expect(prefs.body.kinds).toContainEqual({ kind: "memo.mention", inApp: true, push: true, email: true });
    expect(prefs.body.kinds).toContainEqual({ kind: "memo.digest_only", inApp: false, push: false, email: true });
    expect(prefs.body).toMatchObject({ emailDelayMinutes: 30, dnd: { enabled: false }, timeZone: "Europe/Paris" });
    for (const bad of [
      { kinds: { "memo.nosuch": { push: false } } },
      { dnd: { start: "25:00" } },
      { emailDelayMinutes: -1 },
      {},
      { kinds: { "memo.mention": { push: "no" } } },
    ]) {
      expect((await bob.client.patch("/api/me/notification-preferences", bad)).status, JSON.stringify(bad)).toBe(400);
    }
    const r = await bob.client.patch("/api/me/notification-preferences", {
      kinds: { "memo.mention": { inApp: false } },
      dnd: { enabled: true, start: "22:00", end: "07:00" },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ dnd: { enabled: true, start: "22:00", end: "07:00", days: [] } });
    expect((r.body as { kinds: unknown[] }).kinds).toContainEqual({
      kind: "memo.mention",
      inApp: false,
      push: true,
      email: true,
    });
    // In-app off for this kind: nothing in the centre.
    await mention(bob, "hidden");
    const marker = await person();
    await mention(marker, "marker");
    await arrived(marker, 1);
    expect((await list(bob)).items).toEqual([]);
  });

  it("pushes through Web Push: VAPID-signed, encrypted for the browser's keys, at most one per burst, none during do-not-disturb", async () => {
    const key = await s.client().get<{ publicKey: string }>("/api/push/vapid-public-key");
    expect(key.body.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    push.expectVapidKey(key.body.publicKey);
    const subscribed = async () => {
      const p = await person();
      const sub = push.subscribe();
      expect((await p.client.post("/api/me/push-subscriptions", sub)).status).toBe(201);
      return { ...p, sub };
    };
    const bob = await subscribed();
    await mention(bob, "premier", { importance: "high" });
    const first = await push.waitForPush((m) => m.endpoint === bob.sub.endpoint);
    expect(first.payload).toMatchObject({
      kind: "memo.mention",
      title: `${alice.user.username} vous a mentionné`,
      body: "premier",
      link: "/memo/premier",
      unreadCount: 1,
    });
    expect(first).toMatchObject({ urgency: "high", topic: "notifications", ttl: 86_400 });
    expect(first.claims.aud).toBe(push.origin);

    // A burst: three more within the window, then a marker to someone else; the dispatcher handles them in order.
    for (const t of ["deux", "trois", "quatre"]) await mention(bob, t);
    const carol = await subscribed();
    await mention(carol, "repère");
    await push.waitForPush((m) => m.endpoint === carol.sub.endpoint);
    expect(bob.sub.received).toHaveLength(1);
    expect((await list(bob)).unreadCount).toBe(4);

    // Do-not-disturb around the current time in the user's own zone: in-app yes, push no.
    const dave = await subscribed();
    await dave.client.patch("/api/me", { timeZone: "America/New_York" });
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", hourCycle: "h23" }).format(
        new Date(),
      ),
    );
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
    expect(
      (
        await dave.client.patch("/api/me/notification-preferences", {
          dnd: { enabled: true, start: hh(hour - 1), end: hh(hour + 1) },
        })
      ).status,
    ).toBe(200);
    await mention(dave, "la nuit");
    const erin = await subscribed();
    await mention(erin, "repère 2");
    await push.waitForPush((m) => m.endpoint === erin.sub.endpoint);
    expect(dave.sub.received).toHaveLength(0);
    expect((await list(dave)).unreadCount).toBe(1);

    // An endpoint on an internal address the operator did not allow is never contacted (SSRF policy).
    const internal = await startPushEndpoint();
    try {
      const mallory = await person();
      expect((await mallory.client.post("/api/me/push-subscriptions", internal.subscribe())).status).toBe(201);
      await mention(mallory, "sonde");
      const frida = await subscribed();
      await mention(frida, "repère 3");
      await push.waitForPush((m) => m.endpoint === frida.sub.endpoint);
      expect(internal.received).toHaveLength(0);
      expect(internal.rejected).toHaveLength(0);
    } finally {
      await internal.close();
    }
    expect(push.rejected).toEqual([]);
  });

  it("forgets subscriptions the push service says are gone, and refuses bad ones", async () => {
    const frank = await person();
    const sub = push.subscribe();
    expect((await frank.client.post("/api/me/push-subscriptions", sub)).status).toBe(201);
    push.expire(sub.endpoint);
    await mention(frank, "perdu");
    const del = () => frank.client.delete(`/api/me/push-subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`);
    await waitFor(async () => (await frank.client.get<List>("/api/notifications")).body.items.length === 1, "delivery");
    await waitFor(async () => (await del()).status === 404, "the gone subscription deleted");

    const again = push.subscribe();
    expect((await frank.client.post("/api/me/push-subscriptions", again)).status).toBe(201);
    expect((await del()).status).toBe(404);
    expect(
      (await frank.client.delete(`/api/me/push-subscriptions?endpoint=${encodeURIComponent(again.endpoint)}`)).status,
    ).toBe(204);
    for (const bad of [
      { ...again, endpoint: "http://10.0.0.1/push/x" },
      { ...again, endpoint: "ftp://127.0.0.1/x" },
      { ...again, keys: { p256dh: "short", auth: again.keys.auth } },
      { endpoint: again.endpoint },
    ]) {
      expect((await frank.client.post("/api/me/push-subscriptions", bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it("e-mails a digest of what stayed unread, once, honouring each user's delay and channel", async () => {
    const gina = await person();
    const hugo = await person();
    await hugo.client.patch("/api/me/notification-preferences", {
      kinds: { "memo.mention": { email: false } },
      emailDelayMinutes: 0,
    });
    await mention([gina, hugo], "lu plus tard");
    await mention(gina, "déjà lu");
    await mention(gina, "seulement par courriel", { kind: "memo.digest_only" });
    await arrived(gina, 2);
    const read = (await list(gina)).items.find((n) => n.body?.text === "déjà lu")!;
    await gina.client.post(`/api/notifications/${read.id}/read`);
    // Still within the default 30 minutes: nothing yet. Now the delay drops to 0 and the next pass sends.
    expect(smtp.messages.filter((m) => m.to.includes(gina.user.email!))).toEqual([]);
    await gina.client.patch("/api/me/notification-preferences", { emailDelayMinutes: 0 });
    const mail = await smtp.waitForMail((m) => m.to.includes(gina.user.email!));
    expect(mail.subject).toBe("2 notifications non lues");
    expect(mail.text).toContain("lu plus tard");
    expect(mail.text).toContain("seulement par courriel");
    expect(mail.text).not.toContain("déjà lu");
    expect(mail.text).toContain(`${s.config.publicUrl}/memo/lu%20plus%20tard`);

    await mention(gina, "nouveau");
    const second = await smtp.waitForMail((m) => m.to.includes(gina.user.email!) && m !== mail);
    expect(second.subject).toBe("1 notification non lue");
    expect(second.text).toContain("nouveau");
    expect(second.text).not.toContain("lu plus tard");
    expect(smtp.messages.filter((m) => m.to.includes(hugo.user.email!))).toEqual([]);
  });
});

describe("do-not-disturb schedule", () => {
  const prefs = (dnd: Partial<StoredPrefs["dnd"]>): StoredPrefs => ({
    kinds: {},
    emailDelayMinutes: 30,
    dnd: { enabled: true, start: "22:00", end: "07:00", days: [], ...dnd },
  });
  // 2026-11-27 was a Friday (day 5); Paris is UTC+1 in November.
  const at = (utc: string) => new Date(`2026-11-27T${utc}:00Z`);

  it("reads the window in the user's time zone, across midnight, on the days it starts", () => {
    expect(inDoNotDisturb(prefs({}), "Europe/Paris", at("21:30"))).toBe(true); // 22:30 in Paris
    expect(inDoNotDisturb(prefs({}), "Europe/Paris", at("20:30"))).toBe(false); // 21:30
    expect(inDoNotDisturb(prefs({}), "UTC", at("21:30"))).toBe(false);
    expect(inDoNotDisturb(prefs({ enabled: false }), "Europe/Paris", at("21:30"))).toBe(false);
    expect(inDoNotDisturb(prefs({ start: "09:00", end: "12:00" }), "Europe/Paris", at("10:00"))).toBe(true); // 11:00
    expect(inDoNotDisturb(prefs({ start: "09:00", end: "12:00" }), "Europe/Paris", at("11:00"))).toBe(false); // 12:00, end excluded
    // Friday night's window, on Saturday 02:00 Paris time, belongs to Friday.
    expect(inDoNotDisturb(prefs({ days: [5] }), "Europe/Paris", new Date("2026-11-28T01:00:00Z"))).toBe(true);
    expect(inDoNotDisturb(prefs({ days: [6] }), "Europe/Paris", new Date("2026-11-28T01:00:00Z"))).toBe(false);
    expect(inDoNotDisturb(prefs({}), "Not/AZone", at("23:00"))).toBe(true); // unknown zone: UTC
  });
});
