import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { KernelTables } from "@ensemble/kernel";

const KEY = "chat.signing_key";
const cache = new WeakMap<object, Promise<Buffer>>();

/**
 * A server secret for signing URLs the server hands out (preview image proxy).
 * Kept in the settings table so every node of a cluster shares it; the first
 * node to need it creates it, the others read what won.
 */
export function signingKey(db: Kysely<KernelTables>): Promise<Buffer> {
  let p = cache.get(db);
  if (!p) {
    p = (async () => {
      const now = new Date().toISOString();
      await db
        .insertInto("settings")
        .values({ key: KEY, value: JSON.stringify(randomBytes(32).toString("base64")), updated_at: now })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      const row = await db.selectFrom("settings").select("value").where("key", "=", KEY).executeTakeFirstOrThrow();
      return Buffer.from(JSON.parse(row.value) as string, "base64");
    })();
    p.catch(() => cache.delete(db));
    cache.set(db, p);
  }
  return p;
}

export function sign(key: Buffer, purpose: string, value: string): string {
  return createHmac("sha256", key).update(`${purpose}\n${value}`).digest("base64url");
}

export function verify(key: Buffer, purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(sign(key, purpose, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
