import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestClient, type TestServer } from "@ensemble/testkit";

// A PATCH changes what it names and nothing else, wherever a settings object is patched.
let server: TestServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.signedIn({ role: "admin" })).client;
});
afterAll(async () => server.close());

async function patchOneByOne(url: string, changes: Record<string, unknown>[]) {
  let expected = (await admin.get<Record<string, unknown>>(url)).body;
  for (const change of changes) {
    const r = await admin.patch<Record<string, unknown>>(url, change);
    expect(r.status, r.text).toBe(200);
    expected = { ...expected, ...change };
    expect(r.body).toEqual(expected);
    expect((await admin.get(url)).body).toEqual(expected);
  }
}

describe("partial updates of settings", () => {
  it("chat settings: each field alone, the others kept", async () => {
    await patchOneByOne("/api/chat/settings", [
      { readReceipts: true },
      { maxMessageLength: 5000 },
      { editWindowMinutes: 5 },
      { mentionAllConfirmThreshold: 7 },
      { maxUploadMb: 3 },
      { defaultChannelSlug: "accueil" },
      { readReceipts: false },
    ]);
  });

  it("organisation settings: each field alone, the others kept", async () => {
    await patchOneByOne("/api/admin/settings", [
      { membersCanInvite: false },
      { brandName: "Atelier" },
      { membersCanCreateGroups: false },
      { membersCanInvite: true },
    ]);
  });

  it("notification preferences: one do-not-disturb field leaves the rest", async () => {
    const url = "/api/me/notification-preferences";
    expect((await admin.patch(url, { dnd: { enabled: true, start: "21:00" } })).status).toBe(200);
    expect((await admin.patch(url, { emailDelayMinutes: 90 })).status).toBe(200);
    const r = await admin.patch<{ emailDelayMinutes: number; dnd: Record<string, unknown> }>(url, {
      dnd: { end: "07:30" },
    });
    expect(r.body.emailDelayMinutes).toBe(90);
    expect(r.body.dnd).toMatchObject({ enabled: true, start: "21:00", end: "07:30" });
  });
});
