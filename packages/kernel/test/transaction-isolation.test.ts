import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@ensemble/testkit";

/**
 * A query made through the database handle (not the transaction) while a
 * transaction is open in the same request must neither wait for that
 * transaction nor join it — on SQLite as on PostgreSQL. On SQLite it used to
 * wait for the one connection the transaction held, for ever (an upload hung
 * once the files settings cache expired mid-write).
 */
describe("queries beside an open transaction", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  const row = (key: string) => ({ key, value: "v", updated_at: new Date().toISOString() });
  const read = (key: string) =>
    s.kernel.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();

  it("a read outside the transaction answers at once with the last committed state", async () => {
    const seen = await s.kernel.db.transaction().execute(async (tx) => {
      await tx.insertInto("settings").values(row("test.isolation.read")).execute();
      const inside = await tx
        .selectFrom("settings")
        .select("value")
        .where("key", "=", "test.isolation.read")
        .executeTakeFirst();
      return { inside, outside: await read("test.isolation.read") };
    });
    expect(seen.inside).toEqual({ value: "v" });
    expect(seen.outside).toBeUndefined();
    expect(await read("test.isolation.read")).toEqual({ value: "v" });
  });

  it("a write outside a transaction that rolls back is kept; the transaction's own write is not", async () => {
    let outsideDone!: Promise<unknown>;
    await expect(
      s.kernel.db.transaction().execute(async (tx) => {
        await tx.insertInto("settings").values(row("test.isolation.inside")).execute();
        // Not awaited inside: on SQLite it takes the writer after this transaction ends.
        outsideDone = s.kernel.db.insertInto("settings").values(row("test.isolation.outside")).execute();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await outsideDone;
    expect(await read("test.isolation.inside")).toBeUndefined();
    expect(await read("test.isolation.outside")).toEqual({ value: "v" });
  });

  it("concurrent transactions each keep all of their writes", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        s.kernel.db.transaction().execute(async (tx) => {
          await tx
            .insertInto("settings")
            .values(row(`test.isolation.c${i}.a`))
            .execute();
          // Through the transaction: 20 transactions each waiting for one more pooled connection would exhaust PostgreSQL's pool.
          await tx.selectFrom("settings").select("key").where("key", "like", "test.isolation.c%").execute();
          await tx
            .insertInto("settings")
            .values(row(`test.isolation.c${i}.b`))
            .execute();
        }),
      ),
    );
    const keys = await s.kernel.db
      .selectFrom("settings")
      .select("key")
      .where("key", "like", "test.isolation.c%")
      .execute();
    expect(keys).toHaveLength(40);
  });
});
