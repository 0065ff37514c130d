import { Redis } from "@hocuspocus/extension-redis";
import type { Extension } from "@hocuspocus/server";
import type { Kernel } from "@ensemble/kernel";

/**
 * With REDIS_URL, nodes relay each other's document updates and awareness
 * through Redis (Hocuspocus's Redis extension, keys under REDIS_PREFIX), so
 * people on different nodes edit one document. The extension opens its own
 * connections from the URL's parts.
 */
export function clusterExtensions(k: Kernel): Extension[] {
  if (!k.config.REDIS_URL) return [];
  const url = new URL(k.config.REDIS_URL);
  const db = Number(url.pathname.replace(/^\//, "") || "0");
  return [
    new Redis({
      host: url.hostname,
      port: Number(url.port || "6379"),
      options: {
        ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
        ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
        db,
        ...(url.protocol === "rediss:" ? { tls: {} } : {}),
      },
      prefix: `${k.config.REDIS_PREFIX}collab`,
      identifier: `node-${k.nodeId}`,
    }),
  ];
}
