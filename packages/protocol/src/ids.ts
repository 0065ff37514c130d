import { z } from "zod";

/** A UUIDv7 tagged with the record type it names, so ids of different records never mix. */
export type Id<Brand extends string> = string & { readonly __brand: Brand };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let lastMs = 0;
let seq = 0;

/**
 * RFC 9562 UUIDv7. Within one millisecond a 12-bit counter keeps ids
 * monotonic, so ids created by one process sort in creation order.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    now = lastMs;
  } else {
    lastMs = now;
    seq = crypto.getRandomValues(new Uint16Array(1))[0]! & 0x3ff;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | ((seq >> 8) & 0x0f);
  bytes[7] = seq & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newId<Brand extends string>(): Id<Brand> {
  return uuidv7() as Id<Brand>;
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_RE.test(value);
}

/** Runtime validator for a branded id. */
export function zId<Brand extends string>() {
  return z
    .string()
    .regex(UUID_RE, "must be a UUID")
    .transform((s) => s as Id<Brand>);
}
