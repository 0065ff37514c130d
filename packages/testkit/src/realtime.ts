import { RealtimeClient, type RealtimeClientOptions } from "@ensemble/client";
import type { TestClient } from "./client.ts";

/**
 * A realtime client for tests, authenticated like the given HTTP client (its
 * session cookie goes on the upgrade request, as a browser would send it).
 */
export function realtimeClient(
  baseUrl: string,
  as?: TestClient,
  opts: Partial<RealtimeClientOptions> = {},
): RealtimeClient {
  const cookie = as ? [...as.cookies].map(([k, v]) => `${k}=${v}`).join("; ") : "";
  return new RealtimeClient({
    url: baseUrl,
    minBackoffMs: 50,
    maxBackoffMs: 500,
    // Node's WebSocket (undici) takes headers in its second argument; browsers send cookies themselves.
    createSocket: (url) => new WebSocket(url, { headers: cookie ? { cookie } : {} } as unknown as string[]),
    ...opts,
  });
}

/** Polls a condition until it holds (no fixed sleeps in tests); throws with `what` after the timeout. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
