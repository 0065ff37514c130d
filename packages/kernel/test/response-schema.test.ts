import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineModule, noContent, rawResponse, route } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { kernelModules } from "./kernel-modules.ts";

const author = z.object({ id: z.string(), name: z.string() });
const note = z.object({ id: z.string(), text: z.string(), author, tags: z.array(z.object({ label: z.string() })) });

/** A presenter that carries more than its schema names, at every depth. */
const leaky = () => ({
  id: "n1",
  text: "hello",
  secret: "top",
  author: { id: "u1", name: "Ada", passwordHash: "x" },
  tags: [{ label: "a", internal: 1 }],
});

const fixture = defineModule({
  name: "wirefixture",
  routes(app) {
    route(app, {
      method: "GET",
      url: "/api/wirefixture/note",
      summary: "A note whose presenter says too much",
      auth: "none",
      response: note,
      handler: async () => leaky(),
    });
    route(app, {
      method: "POST",
      url: "/api/wirefixture/notes",
      summary: "Create a note",
      auth: "none",
      csrfExempt: true,
      response: note,
      status: 201,
      handler: async () => leaky(),
    });
    route(app, {
      method: "GET",
      url: "/api/wirefixture/broken",
      summary: "A presenter that no longer matches its schema",
      auth: "none",
      response: note,
      // The type refuses this: the cast stands for a presenter drifting at run time.
      handler: async () => ({ id: "n1" }) as unknown as z.input<typeof note>,
    });
    route(app, {
      method: "DELETE",
      url: "/api/wirefixture/note",
      summary: "Delete the note",
      auth: "none",
      csrfExempt: true,
      response: noContent,
      handler: async () => {},
    });
    route(app, {
      method: "GET",
      url: "/api/wirefixture/note.txt",
      summary: "The note as text",
      auth: "none",
      response: rawResponse("text/plain", "The note's text"),
      handler: async ({ reply }) => reply.type("text/plain").send("hello"),
    });
  },
});

describe("responses are serialised through their schema", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ modules: [...kernelModules, fixture] });
  });
  afterAll(async () => s.close());

  it("drops the fields the schema does not name, nested objects and array items included", async () => {
    const r = await s.client().get("/api/wirefixture/note");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: "n1", text: "hello", author: { id: "u1", name: "Ada" }, tags: [{ label: "a" }] });
  });

  it("answers with the declared status", async () => {
    const r = await s.client().post("/api/wirefixture/notes", {});
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: "n1", text: "hello", author: { id: "u1", name: "Ada" }, tags: [{ label: "a" }] });
  });

  it("answers 500 internal when the result does not match, sending none of it", async () => {
    const r = await s.client().get<{ code: string }>("/api/wirefixture/broken");
    expect(r.status).toBe(500);
    expect(r.body.code).toBe("internal");
    expect(r.text).not.toContain("n1");
  });

  it("answers 204 for a route declared without content, and lets a raw route send its own body", async () => {
    expect((await s.client().delete("/api/wirefixture/note")).status).toBe(204);
    const t = await s.client().get("/api/wirefixture/note.txt");
    expect(t.status).toBe(200);
    expect(t.text).toBe("hello");
  });

  it("publishes each kind of response in the OpenAPI document", async () => {
    type Op = { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };
    const doc = (await s.client().get<{ paths: Record<string, Record<string, Op>> }>("/api/openapi.json")).body;
    const get = doc.paths["/api/wirefixture/note"]!.get!;
    const schema = get.responses["200"]!.content!["application/json"]!.schema;
    expect(schema).toMatchObject({ type: "object", required: ["id", "text", "author", "tags"] });
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(doc.paths["/api/wirefixture/notes"]!.post!.responses)).toEqual(["201"]);
    expect(Object.keys(doc.paths["/api/wirefixture/note"]!.delete!.responses)).toEqual(["204"]);
    expect(doc.paths["/api/wirefixture/note"]!.delete!.responses["204"]!.content).toBeUndefined();
    expect(Object.keys(doc.paths["/api/wirefixture/note.txt"]!.get!.responses["200"]!.content!)).toEqual([
      "text/plain",
    ]);
  });
});
