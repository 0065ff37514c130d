import { createHmac } from "node:crypto";
import type { Config } from "@ensemble/kernel";

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/**
 * TURN REST credentials (the scheme coturn's `use-auth-secret` checks): the
 * username is `<expiry unix time>:<person>`, the password the base64
 * HMAC-SHA1 of that username keyed with the shared secret. coturn refuses
 * them after the expiry; nothing is stored, nothing to revoke.
 */
export function turnCredentials(config: Config, personId: string, now = Date.now()): IceServer[] {
  const urls = config.TURN_URLS.split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (!urls.length || !config.TURN_SECRET) return [];
  const expires = Math.floor(now / 1000) + config.TURN_TTL_SECONDS;
  const username = `${expires}:${personId}`;
  const credential = createHmac("sha1", config.TURN_SECRET).update(username).digest("base64");
  return [{ urls, username, credential }];
}
