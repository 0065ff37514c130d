import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { z } from "zod";
import { defineEvent, recordEvent, type PayloadsOf } from "@ensemble/kernel";
import { startTestServer, type TestServer } from "@ensemble/testkit";
import { kernelModules } from "./kernel-modules.ts";

const probeEvents = {
  pinged: defineEvent("probe.thing.pinged", z.object({ count: z.number().int(), by: z.object({ id: z.string() }) }), 1),
};

declare module "@ensemble/kernel" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof probeEvents> {}
}

describe("event definitions", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ modules: kernelModules });
  });
  afterAll(async () => s.close());

  const stored = async (name: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from events where name = ${name}`.execute(s.kernel.db)).rows[0]!.n,
    );

  it("records a payload that matches its definition", async () => {
    const e = await recordEvent(s.kernel.db, {
      name: "probe.thing.pinged",
      actorId: null,
      payload: { count: 1, by: { id: "u1" } },
    });
    expect(e.payload).toEqual({ count: 1, by: { id: "u1" } });
    expect(await stored("probe.thing.pinged")).toBe(1);
  });

  it("refuses, outside production, a payload that does not match, and stores nothing", async () => {
    await expect(
      s.kernel.db.transaction().execute((tx) =>
        recordEvent(tx, {
          name: "probe.thing.pinged",
          actorId: null,
          // The type refuses it too; the cast stands for data that drifted at run time.
          payload: { count: "one", by: {} } as unknown as { count: number; by: { id: string } },
        }),
      ),
    ).rejects.toThrow(/probe\.thing\.pinged \(v1\).*count.*by\.id/);
    expect(await stored("probe.thing.pinged")).toBe(1);
  });

  it("refuses an event name that has no definition", async () => {
    await expect(
      recordEvent(s.kernel.db, {
        name: "probe.thing.pinget",
        actorId: null,
        // @ts-expect-error a misspelt name takes no payload
        payload: { count: 1, by: { id: "u1" } },
      }),
    ).rejects.toThrow(/probe\.thing\.pinget has no definition/);
    expect(await stored("probe.thing.pinget")).toBe(0);
  });

  it("refuses a second, different definition of the same name (the same one again is harmless)", () => {
    expect(defineEvent("probe.thing.pinged", probeEvents.pinged.schema, 1)).toEqual(probeEvents.pinged);
    expect(() => defineEvent("probe.thing.pinged", z.object({}), 1)).toThrow(/defined twice/);
    expect(() => defineEvent("probe.thing", z.object({}), 1)).toThrow(/module\.resource\.verb/);
  });

  it("defines every event the kernel's modules record", async () => {
    const names = kernelModules.flatMap((m) => (m.events ?? []).map((e) => e.name));
    expect(names).toEqual(
      expect.arrayContaining([
        "accounts.user.updated",
        "accounts.group_member.added",
        "notifications.intent.created",
        "notifications.notification.read",
      ]),
    );
  });
});
