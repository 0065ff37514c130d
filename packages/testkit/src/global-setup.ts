import net from "node:net";
import { testDatabaseUrl, testDbKind, testRedisUrl } from "./test-db.ts";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * Fails fast, before any suite runs, when a service the chosen suites need is
 * missing: a missing dependency is a failure, never a silent skip.
 */
export default async function setup(): Promise<void> {
  if (testDbKind() === "postgres" && !(await reachable(testDatabaseUrl(), 5432))) {
    throw new Error(`ENSEMBLE_TEST_DB=postgres but PostgreSQL is not reachable at ${testDatabaseUrl()}`);
  }
  if (!(await reachable(testRedisUrl(), 6379))) {
    throw new Error(`Redis is required by the multi-node suites and is not reachable at ${testRedisUrl()}`);
  }
}
