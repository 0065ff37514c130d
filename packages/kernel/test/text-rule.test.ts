import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";

// One rule for every text field of every route: no NUL, no other control character, no lone surrogate.
let s: TestServer;
let admin: TestClient;
beforeAll(async () => {
  s = await startTestServer();
  admin = (await s.signedIn({ role: "admin" })).client;
});
afterAll(async () => s.close());

const refused = ["a\u0000b", "bell\u0007", "esc\u001b[31m", "del\u007f", "half \ud800 pair", "low \udc00", "\u000b"];

describe("control characters and lone surrogates", () => {
  it("are refused with a validation problem naming the field, and nothing is stored", async () => {
    const before = (await admin.get<{ user: { displayName: string } }>("/api/me")).body.user.displayName;
    for (const bad of refused) {
      const r = await admin.patch("/api/me", { displayName: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body).toMatchObject({ code: "validation", errors: [{ path: "body.displayName" }] });
      const g = await admin.post("/api/groups", { name: `groupe ${bad}` });
      expect(g.status).toBe(400);
      expect((await admin.patch("/api/admin/settings", { brandName: bad })).status).toBe(400);
      // Nested fields and keys too.
      const nested = await admin.patch("/api/me/notification-preferences", { kinds: { [bad]: { inApp: true } } });
      expect(nested.status).toBe(400);
    }
    expect((await admin.get<{ user: { displayName: string } }>("/api/me")).body.user.displayName).toBe(before);
    const groups = await admin.get<{ items: { name: string }[] }>("/api/groups");
    expect(groups.body.items.filter((x) => x.name.startsWith("groupe "))).toEqual([]);
  });

  it("accepts tabs, line breaks, accents and emoji (well-formed pairs)", async () => {
    const r = await admin.patch<{ user: { statusMessage: string } }>("/api/me", {
      statusMessage: "en congés\tjusqu'au 3\r\n🎉 à bientôt",
    });
    expect(r.status).toBe(200);
    expect(r.body.user.statusMessage).toBe("en congés\tjusqu'au 3\r\n🎉 à bientôt");
  });
});
