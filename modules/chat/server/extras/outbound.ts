import type { Kernel } from "@ensemble/kernel";
import { safeFetcherFromConfig, type SafeFetcher } from "@ensemble/kernel/net/safe-fetch";

const fetchers = new WeakMap<Kernel, SafeFetcher>();

/** This server's guarded outbound HTTP client (OUTBOUND_ALLOW, OUTBOUND_DNS_SERVERS). */
export function outbound(k: Kernel): SafeFetcher {
  let f = fetchers.get(k);
  if (!f) {
    f = safeFetcherFromConfig(k.config);
    fetchers.set(k, f);
  }
  return f;
}
