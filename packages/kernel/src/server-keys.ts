import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { KernelTables } from "./db/tables.ts";

/**
 * Server secrets (`k.secrets`): random keys kept in the settings table so
 * every node of a cluster shares them; the first node to need one creates it,
 * the others read what won. For signing what the server hands out (URLs,
 * state), never for user data.
 */
export class ServerKeys {
  private readonly cache = new Map<string, Promise<Buffer>>();
  private readonly db: Kysely<KernelTables>;
  constructor(db: Kysely<KernelTables>) {
    this.db = db;
  }

  /** A 256-bit key named `name` (e.g. `chat.signing_key`). */
  key(name: string): Promise<Buffer> {
    let p = this.cache.get(name);
    if (!p) {
      p = (async () => {
        const now = new Date().toISOString();
        await this.db
          .insertInto("settings")
          .values({ key: name, value: JSON.stringify(randomBytes(32).toString("base64")), updated_at: now })
          .onConflict((oc) => oc.column("key").doNothing())
          .execute();
        const row = await this.db
          .selectFrom("settings")
          .select("value")
          .where("key", "=", name)
          .executeTakeFirstOrThrow();
        return Buffer.from(JSON.parse(row.value) as string, "base64");
      })();
      p.catch(() => this.cache.delete(name));
      this.cache.set(name, p);
    }
    return p;
  }
}

/** HMAC-SHA256 of a value for one purpose (a signature for one purpose is worthless for another). */
export function signValue(key: Buffer, purpose: string, value: string): string {
  return createHmac("sha256", key).update(`${purpose}\n${value}`).digest("base64url");
}

export function verifySignature(key: Buffer, purpose: string, value: string, signature: string): boolean {
  const expected = Buffer.from(signValue(key, purpose, value));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
