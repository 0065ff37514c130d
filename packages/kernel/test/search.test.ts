import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  defineEvent,
  defineModule,
  defineSearchProvider,
  noContent,
  recordEvent,
  route,
  type ModuleDefinition,
  type PayloadsOf,
} from "@ensemble/kernel";
import { resourceKind } from "../src/authz/policy.ts";
import { isUser } from "../src/authz/actor.ts";
import { kernelModules } from "./kernel-modules.ts";
import { startTestServer, waitFor, type TestClient, type TestServer } from "@ensemble/testkit";

interface Note {
  id: string;
  owner: string;
  private: boolean;
  title: string;
  body: string;
}
const NoteResource = resourceKind<Note>()("note", ["read"] as const);

const noteSchema = z.object({
  id: z.string(),
  owner: z.string(),
  private: z.boolean(),
  title: z.string(),
  body: z.string(),
});
const noteEvents = {
  created: defineEvent("notes.note.created", noteSchema, 1),
  deleted: defineEvent("notes.note.deleted", noteSchema, 1),
};

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof noteEvents> {}
}

/** A stand-in service: notes, private or public, indexed from their events like a real module's resources. */
function notesModule(notes: Map<string, Note>): ModuleDefinition {
  return defineModule({
    name: "notes",
    events: Object.values(noteEvents),
    policies: (k) => {
      k.policy.allow(NoteResource, "read", (a, n) => !n.private || (isUser(a) && a.id === n.owner));
    },
    searchProviders: (k) => [
      defineSearchProvider({
        type: "notes.note",
        events: ["notes.note.*"],
        index: async (event, index) => {
          const n = event.payload as Note;
          if (event.name === "notes.note.deleted") return index.remove("notes.note", n.id);
          await index.upsert({
            type: "notes.note",
            id: n.id,
            scope: n.private ? `user:${n.owner}` : "public",
            title: n.title,
            body: n.body,
            url: `/notes/${n.id}`,
          });
        },
        scopes: async (actor) => ["public", `user:${actor.id}`],
        authorize: async (actor, hits) => {
          const out = [];
          for (const h of hits) {
            const n = notes.get(h.id);
            if (n && (await k.policy.can(actor, NoteResource, "read", n))) out.push(h);
          }
          return out;
        },
      }),
    ],
    routes: (app, k) => {
      route(app, {
        method: "POST",
        url: "/api/notes",
        summary: "Create a note (test fixture)",
        auth: "user",
        response: noteSchema,
        body: z.object({ title: z.string(), body: z.string(), private: z.boolean().default(false) }),
        handler: async ({ actor, body }) => {
          const note: Note = {
            id: crypto.randomUUID(),
            owner: actor.id,
            private: body.private,
            title: body.title,
            body: body.body,
          };
          notes.set(note.id, note);
          await k.db.transaction().execute((tx) =>
            recordEvent(tx, {
              name: "notes.note.created",
              actorId: actor.id,
              resources: { note: note.id },
              payload: note,
            }),
          );
          return note;
        },
      });
      route(app, {
        method: "DELETE",
        url: "/api/notes/:id",
        summary: "Delete a note (test fixture)",
        auth: "user",
        response: noContent,
        params: z.object({ id: z.uuid() }),
        handler: async ({ actor, params }) => {
          const note = notes.get(params.id)!;
          notes.delete(params.id);
          await k.db.transaction().execute((tx) =>
            recordEvent(tx, {
              name: "notes.note.deleted",
              actorId: actor.id,
              resources: { note: note.id },
              payload: note,
            }),
          );
          return undefined;
        },
      });
    },
  });
}

interface Hit {
  type: string;
  id: string;
  title: string;
  snippet: string;
  url: string | null;
  score: number;
}
interface Results {
  items: Hit[];
  groups: { type: string; items: Hit[] }[];
}

describe("search", () => {
  let s: TestServer;
  let alice: { client: TestClient; user: { id: string } };
  let bob: { client: TestClient; user: { id: string } };
  const notes = new Map<string, Note>();
  beforeAll(async () => {
    s = await startTestServer({ modules: [...kernelModules, notesModule(notes)] });
    alice = await s.signedIn({ displayName: "Alice Martin" });
    bob = await s.signedIn({ displayName: "Bob Durand" });
  });
  afterAll(async () => s.close());

  const search = async (c: TestClient, q: string, types?: string) => {
    const r = await c.get<Results>(`/api/search?q=${encodeURIComponent(q)}${types ? `&types=${types}` : ""}`);
    expect(r.status).toBe(200);
    return r.body;
  };
  const note = async (c: TestClient, title: string, body: string, priv = false) => {
    const r = await c.post<Note>("/api/notes", { title, body, private: priv });
    expect(r.status).toBe(200);
    return r.body;
  };
  const indexed = (c: TestClient, q: string, id: string) =>
    waitFor(async () => (await search(c, q, "notes.note")).items.some((h) => h.id === id), `${q} indexed`);

  it("is accent-insensitive: reunion finds Réunion, and RÉUNION finds it too", async () => {
    const n = await note(alice.client, "Réunion de service", "Ordre du jour : budget, congés d'été");
    await indexed(alice.client, "reunion", n.id);
    for (const q of ["reunion", "RÉUNION", "Reunión", "conges ete"]) {
      expect(
        (await search(bob.client, q, "notes.note")).items.map((h) => h.id),
        q,
      ).toContain(n.id);
    }
  });

  it("matches prefixes: plan finds planification", async () => {
    const n = await note(alice.client, "Planification du trimestre", "Jalons et livrables");
    await indexed(alice.client, "plan", n.id);
    const r = await search(bob.client, "plan");
    expect(r.items.find((h) => h.id === n.id)).toMatchObject({
      type: "notes.note",
      title: "Planification du trimestre",
      url: `/notes/${n.id}`,
    });
    expect((await search(bob.client, "jalon livr")).items.map((h) => h.id)).toContain(n.id);
    expect((await search(bob.client, "planètes")).items.map((h) => h.id)).not.toContain(n.id);
  });

  it("never returns what the caller may not read", async () => {
    const secret = await note(alice.client, "Entretien confidentiel", "Évaluation annuelle", true);
    const open = await note(alice.client, "Entretien collectif", "Tout le monde");
    await indexed(alice.client, "entretien", secret.id);
    await indexed(alice.client, "entretien", open.id);
    expect((await search(alice.client, "entretien")).items.map((h) => h.id).sort()).toEqual(
      [secret.id, open.id].sort(),
    );
    expect((await search(bob.client, "entretien")).items.map((h) => h.id)).toEqual([open.id]);
    expect((await search(bob.client, "confidentiel evaluation")).items).toEqual([]);
  });

  it("removes deleted resources from the index", async () => {
    const n = await note(alice.client, "Inventaire matériel", "Écrans");
    await indexed(alice.client, "inventaire", n.id);
    expect((await alice.client.delete(`/api/notes/${n.id}`)).status).toBe(204);
    await waitFor(async () => (await search(alice.client, "inventaire")).items.length === 0, "removal from the index");
  });

  it("never lets an older version overwrite a newer one (a retried event may arrive late)", async () => {
    const id = crypto.randomUUID();
    notes.set(id, { id, owner: alice.user.id, private: false, title: "", body: "" });
    const doc = { type: "notes.note", id, scope: "public", body: "" };
    await s.kernel.search.upsert({ ...doc, title: "Version neuve", updatedAt: "2026-11-02T00:00:00.000Z" });
    await s.kernel.search.upsert({ ...doc, title: "Version ancienne", updatedAt: "2026-11-01T00:00:00.000Z" });
    expect((await search(bob.client, "version")).items.map((h) => h.title)).toEqual(["Version neuve"]);
    await s.kernel.search.upsert({ ...doc, title: "Version suivante", updatedAt: "2026-11-03T00:00:00.000Z" });
    expect((await search(bob.client, "version")).items.map((h) => h.title)).toEqual(["Version suivante"]);
  });

  it("ranks title matches first and groups results by type, people included", async () => {
    const inBody = await note(alice.client, "Compte rendu", "Nous avons parlé de la médiathèque");
    const inTitle = await note(alice.client, "Médiathèque : horaires", "Ouverture le samedi");
    await s.createUser({ displayName: "Hélène Médiathèque" });
    await indexed(alice.client, "mediatheque", inBody.id);
    await indexed(alice.client, "mediatheque", inTitle.id);
    const r = await search(bob.client, "mediatheque");
    const notesGroup = r.groups.find((g) => g.type === "notes.note")!;
    expect(notesGroup.items.map((h) => h.id)).toEqual([inTitle.id, inBody.id]);
    expect(r.groups.find((g) => g.type === "people")!.items.map((h) => h.title)).toEqual(["Hélène Médiathèque"]);
    expect(r.items).toHaveLength(3);
    expect(r.items.map((h) => h.score)).toEqual([...r.items.map((h) => h.score)].sort((a, b) => b - a));
    expect((await search(bob.client, "mediatheque", "people")).groups.map((g) => g.type)).toEqual(["people"]);
  });

  it("finds people accent-insensitively; guests only themselves and their groups' members, as in the directory", async () => {
    const helene = await s.createUser({ displayName: "Hélène Dupré" });
    const guest = await s.signedIn({ role: "guest", displayName: "Gaëlle Invitée" });
    expect((await search(bob.client, "helene dupre", "people")).items.map((h) => h.id)).toEqual([helene.id]);
    expect((await search(guest.client, "helene", "people")).items).toEqual([]);
    expect((await search(guest.client, "gaelle", "people")).items.map((h) => h.id)).toEqual([guest.user.id]);
    const g = await bob.client.post<{ id: string }>("/api/groups", { name: "Projet commun" });
    expect((await bob.client.post(`/api/groups/${g.body.id}/members`, { userId: guest.user.id })).status).toBeLessThan(
      300,
    );
    expect((await search(guest.client, "durand", "people")).items.map((h) => h.id)).toEqual([bob.user.id]);
  });

  it("refuses bad input and needs a session", async () => {
    expect((await alice.client.get("/api/search?q=")).status).toBe(400);
    expect((await alice.client.get("/api/search?q=x&types=nosuch")).status).toBe(400);
    expect((await alice.client.get(`/api/search?q=${"a".repeat(201)}`)).status).toBe(400);
    expect((await s.client().get("/api/search?q=x")).status).toBe(401);
    // Operators in the query are plain text, not FTS syntax.
    for (const q of ['"', "a OR b", "NEAR(x y)", "x:*", "!&|", "*"])
      expect((await alice.client.get(`/api/search?q=${encodeURIComponent(q)}`)).status, q).toBe(200);
  });
});
