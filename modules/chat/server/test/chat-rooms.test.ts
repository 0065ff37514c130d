import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import type { Room, Sidebar } from "../../shared/schemas.ts";
import { createRoom, invite, openDm, send, user, type ChatUser } from "./chat-fixtures.ts";

let s: TestServer;
let alice: ChatUser;
let bob: ChatUser;
let carol: ChatUser;
let guest: ChatUser;

beforeAll(async () => {
  s = await startTestServer();
  [alice, bob, carol, guest] = await Promise.all([user(s), user(s), user(s), user(s, "guest")]);
});
afterAll(() => s?.close());

describe("chat rooms", () => {
  it("creates a channel with a unique slug; the creator owns it; bad input changes nothing", async () => {
    const room = await createRoom(alice.client, { slug: "projets-2026", name: "Projets 2026" });
    expect(room).toMatchObject({
      type: "channel",
      slug: "projets-2026",
      name: "Projets 2026",
      membership: { role: "owner" },
      memberCount: 1,
    });
    const dup = await bob.client.post("/api/chat/rooms", { type: "channel", slug: "Projets-2026" });
    expect(dup.status).toBe(409);
    const bad = await bob.client.post("/api/chat/rooms", { type: "channel", slug: "not ok!" });
    expect(bad.status).toBe(400);
    const unknown = await bob.client.post("/api/chat/rooms", { type: "channel", slug: "x-y", extra: 1 });
    expect(unknown.status).toBe(400);
    expect((await bob.client.get("/api/chat/rooms/by-slug/x-y")).status).toBe(404);
  });

  it("gives a room named « Projet Salon » the address projet-salon, then projet-salon-2; a name without letters says which field", async () => {
    const first = await bob.client.post<Room>("/api/chat/rooms", { type: "channel", name: "  Projet Salon " });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ slug: "projet-salon", name: "Projet Salon" });
    const second = await carol.client.post<Room>("/api/chat/rooms", { type: "private", name: "Projet  salon!" });
    expect(second.body).toMatchObject({ slug: "projet-salon-2", name: "Projet  salon!" });
    const folded = await bob.client.post<Room>("/api/chat/rooms", { type: "channel", name: "Équipe Œuvre & Fête" });
    expect(folded.body.slug).toBe("equipe-oeuvre-fete");
    const empty = await bob.client.post<{ errors: { path: string }[] }>("/api/chat/rooms", {
      type: "channel",
      name: "🎉🎉",
    });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e) => e.path)).toEqual(["body.name"]);
    // A typed address that is taken stays refused: the person chose it.
    const typed = await bob.client.post("/api/chat/rooms", { type: "channel", name: "Autre", slug: "projet-salon" });
    expect(typed.status).toBe(409);
  });

  it("lists public channels in a searchable directory (accent-insensitive), not to guests; archived ones on request", async () => {
    await createRoom(alice.client, { slug: "equipe-reseau", name: "Équipe Réseau" });
    const priv = await createRoom(alice.client, { type: "private", slug: "secret-reseau", name: "Secret réseau" });
    const found = await bob.client.get<{ items: Room[] }>("/api/chat/directory?q=equipe%20res");
    expect(found.body.items.map((r) => r.slug)).toEqual(["equipe-reseau"]);
    const all = await bob.client.get<{ items: Room[] }>("/api/chat/directory?q=reseau");
    expect(all.body.items.map((r) => r.slug)).not.toContain(priv.slug);
    expect((await guest.client.get<{ items: Room[] }>("/api/chat/directory")).body.items).toEqual([]);
    const arch = await createRoom(alice.client, { slug: "vieux-projet" });
    expect((await alice.client.post(`/api/chat/rooms/${arch.id}/archive`)).status).toBe(200);
    expect((await bob.client.get<{ items: Room[] }>("/api/chat/directory?q=vieux")).body.items).toEqual([]);
    const only = await bob.client.get<{ items: Room[] }>("/api/chat/directory?q=vieux&archived=include");
    expect(only.body.items[0]).toMatchObject({ slug: "vieux-projet", archivedAt: expect.any(String) });
    // Archived: read-only, still readable.
    const post = await alice.client.post(`/api/chat/rooms/${arch.id}/messages`, { clientKey: "a1", text: "hello" });
    expect(post.status).toBe(403);
    expect((await alice.client.delete(`/api/chat/rooms/${arch.id}/archive`)).status).toBe(200);
    expect(
      (await alice.client.post(`/api/chat/rooms/${arch.id}/messages`, { clientKey: "a1", text: "hello" })).status,
    ).toBe(201);
  });

  it("lets non-guests join public channels, private groups only by invitation", async () => {
    const ch = await createRoom(alice.client);
    const priv = await createRoom(alice.client, { type: "private" });
    expect((await bob.client.post(`/api/chat/rooms/${ch.id}/join`)).status).toBe(200);
    expect((await guest.client.post(`/api/chat/rooms/${ch.id}/join`)).status).toBe(404);
    expect((await bob.client.post(`/api/chat/rooms/${priv.id}/join`)).status).toBe(404);
    await invite(alice.client, priv.id, [bob.id, guest.id]);
    const seen = await guest.client.get<Room>(`/api/chat/rooms/${priv.id}`);
    expect(seen.body.membership?.role).toBe("member");
  });

  it("invites a whole group", async () => {
    const g = await alice.client.post<{ id: string }>("/api/groups", { name: `team-${Date.now()}` });
    expect(g.status).toBe(201);
    for (const u of [bob, carol])
      expect((await alice.client.post(`/api/groups/${g.body.id}/members`, { userId: u.id })).status).toBe(201);
    const priv = await createRoom(alice.client, { type: "private" });
    const r = await alice.client.post<{ added: string[] }>(`/api/chat/rooms/${priv.id}/members`, {
      groupIds: [g.body.id],
    });
    expect(r.status).toBe(200);
    expect(r.body.added.sort()).toEqual([bob.id, carol.id].sort());
    expect((await carol.client.get<Room>(`/api/chat/rooms/${priv.id}`)).body.memberCount).toBe(3);
  });

  it("keeps an owner: the last owner hands over before leaving; removal and roles", async () => {
    const priv = await createRoom(alice.client, { type: "private", memberIds: [bob.id, carol.id] });
    const must = async (who: typeof alice) =>
      (await who.client.get<Room>(`/api/chat/rooms/${priv.id}`)).body.mustNameSuccessor;
    // The room tells the last owner (only her) that leaving names a successor, before she tries.
    expect([await must(alice), await must(bob)]).toEqual([true, false]);
    const refused = await alice.client.post(`/api/chat/rooms/${priv.id}/leave`, {});
    expect(refused.status).toBe(409);
    expect((await bob.client.delete(`/api/chat/rooms/${priv.id}/members/${carol.id}`)).status).toBe(403);
    expect(
      (await alice.client.patch(`/api/chat/rooms/${priv.id}/members/${bob.id}`, { role: "moderator" })).status,
    ).toBe(200);
    expect((await bob.client.delete(`/api/chat/rooms/${priv.id}/members/${carol.id}`)).status).toBe(204);
    expect((await carol.client.get(`/api/chat/rooms/${priv.id}`)).status).toBe(404);
    expect((await alice.client.post(`/api/chat/rooms/${priv.id}/leave`, { newOwnerId: bob.id })).status).toBe(204);
    expect((await bob.client.get<Room>(`/api/chat/rooms/${priv.id}`)).body.membership?.role).toBe("owner");
    // Alone in the room, the last owner leaves without naming anyone.
    const solo = await createRoom(bob.client, { type: "private" });
    expect((await bob.client.get<Room>(`/api/chat/rooms/${solo.id}`)).body.mustNameSuccessor).toBe(false);
    expect((await alice.client.get(`/api/chat/rooms/${priv.id}`)).status).toBe(404);
  });

  it("deduplicates DMs and group DMs (up to 8 people), even when opened concurrently", async () => {
    const [a, b] = await Promise.all([openDm(alice.client, [bob.id]), openDm(bob.client, [alice.id])]);
    expect(a.id).toBe(b.id);
    expect(a.type).toBe("dm");
    const g1 = await openDm(alice.client, [bob.id, carol.id]);
    const g2 = await openDm(carol.client, [alice.id, bob.id]);
    expect(g1.id).toBe(g2.id);
    expect(g1.id).not.toBe(a.id);
    const many = await Promise.all(Array.from({ length: 8 }, () => user(s)));
    const tooMany = await alice.client.post("/api/chat/direct", { userIds: many.map((u) => u.id) });
    expect(tooMany.status).toBe(400);
    expect((await carol.client.get(`/api/chat/rooms/${a.id}`)).status).toBe(404);
  });

  it("puts everyone but guests in the default channel and builds the sidebar with unread and mention counts", async () => {
    const dave = await user(s);
    const side = await dave.client.get<Sidebar>("/api/chat/sidebar");
    expect(side.status).toBe(200);
    const channels = side.body.sections.find((x) => x.key === "channels")!.rooms;
    expect(channels.some((r) => r.isDefault)).toBe(true);
    expect(
      (await guest.client.get<Sidebar>("/api/chat/sidebar")).body.sections
        .flatMap((x) => x.rooms)
        .some((r) => r.isDefault),
    ).toBe(false);

    const ch = await createRoom(alice.client, { memberIds: [dave.id] });
    const dm = await openDm(alice.client, [dave.id]);
    await send(alice.client, ch.id, "bonjour");
    await send(alice.client, ch.id, `@${dave.username} tu peux regarder ?`);
    await send(alice.client, dm.id, "coucou");
    const fav = await dave.client.patch<Room>(`/api/chat/rooms/${dm.id}/preferences`, { favourite: true });
    expect(fav.body.membership).toMatchObject({ favourite: true, unread: 1 });
    const sb = (await dave.client.get<Sidebar>("/api/chat/sidebar?unreadFirst=true")).body;
    const byKey = Object.fromEntries(sb.sections.map((x) => [x.key, x.rooms]));
    expect(byKey.favourites!.map((r) => r.id)).toEqual([dm.id]);
    expect(byKey.channels![0]).toMatchObject({ id: ch.id, membership: { unread: 2, mentions: 1 } });
    const read = await dave.client.post<Room>(`/api/chat/rooms/${ch.id}/read`, {});
    expect(read.body.membership).toMatchObject({ unread: 0, mentions: 0 });
    // Hidden rooms leave the sidebar until something new arrives.
    await dave.client.post(`/api/chat/rooms/${dm.id}/read`, {});
    await dave.client.patch(`/api/chat/rooms/${dm.id}/preferences`, { hidden: true, favourite: false });
    const hiddenSb = (await dave.client.get<Sidebar>("/api/chat/sidebar")).body;
    expect(hiddenSb.sections.flatMap((x) => x.rooms).some((r) => r.id === dm.id)).toBe(false);
    await send(alice.client, dm.id, "tu es là ?");
    const back = (await dave.client.get<Sidebar>("/api/chat/sidebar")).body;
    expect(back.sections.find((x) => x.key === "direct")!.rooms.map((r) => r.id)).toContain(dm.id);
  });

  it("renames, sets topic and description; announcement channels let only moderators and owners post", async () => {
    const ch = await createRoom(alice.client, { announcement: true, memberIds: [bob.id, carol.id] });
    expect((await bob.client.post(`/api/chat/rooms/${ch.id}/messages`, { clientKey: "x", text: "hi" })).status).toBe(
      403,
    );
    await alice.client.patch(`/api/chat/rooms/${ch.id}/members/${carol.id}`, { role: "moderator" });
    await send(carol.client, ch.id, "annonce");
    const upd = await alice.client.patch<Room>(`/api/chat/rooms/${ch.id}`, {
      name: "Annonces",
      topic: "Infos",
      description: "Canal officiel",
    });
    expect(upd.body).toMatchObject({ name: "Annonces", topic: "Infos", description: "Canal officiel" });
    expect((await bob.client.patch(`/api/chat/rooms/${ch.id}`, { topic: "x" })).status).toBe(403);
    expect((await bob.client.patch(`/api/chat/rooms/${ch.id}`, {})).status).toBe(400);
  });
});
