import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type Config, type ModuleDefinition } from "@ensemble/kernel";
import { issueSetupToken, hashPassword, insertUser } from "@ensemble/kernel/testing";
import { startServer, type RunningServer } from "@ensemble/server";
import { TestClient } from "./client.ts";
import { dropSchema, newSchemaName, testDatabaseUrl, testDbKind } from "./test-db.ts";

export interface TestServer extends RunningServer {
  config: Config;
  dataDir: string;
  /** A new cookie-keeping client for this server. */
  client(): TestClient;
  /** Creates a user directly in the database; the password defaults to a valid one. */
  createUser(opts?: {
    username?: string;
    role?: "admin" | "member" | "guest";
    password?: string;
    email?: string | null;
    displayName?: string;
  }): Promise<{
    id: string;
    username: string;
    password: string;
    email: string | null;
  }>;
  /** Creates a user and returns a signed-in client for them. */
  signedIn(
    opts?: Parameters<TestServer["createUser"]>[0],
  ): Promise<{ client: TestClient; user: { id: string; username: string; password: string } }>;
  setupToken(): Promise<string>;
}

let counter = 0;
export const TEST_PASSWORD = "Correct-Horse-Battery-42";

/**
 * Starts a real server on a random loopback port with its own data directory
 * and, on PostgreSQL, its own schema. Argon2 costs are lowered to keep suites
 * fast; the production defaults are measured in bench/.
 */
export async function startTestServer(
  opts: {
    env?: Record<string, string>;
    modules?: readonly ModuleDefinition[];
    dataDir?: string;
    schema?: string;
    /** Run on PostgreSQL whatever ENSEMBLE_TEST_DB says (for tests of PostgreSQL-only code paths, so they run in every pass). */
    database?: "postgres";
    /** Serve this build of the web shell instead of apps/web/dist (e.g. one built with another module list). */
    webDist?: string;
    /** A logger of the test's own, e.g. to capture and inspect what the server logs. */
    log?: NonNullable<Parameters<typeof startServer>[1]>["log"];
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), "ensemble-test-")));
  const schema =
    testDbKind() === "postgres" || opts.database === "postgres" ? (opts.schema ?? newSchemaName()) : undefined;
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.ENSEMBLE_TEST_LOG ?? "silent",
    ARGON2_MEMORY_KIB: "1024",
    ARGON2_PASSES: "1",
    ...(schema ? { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema } : {}),
    ...opts.env,
  });
  const cleanUp = async () => {
    if (schema && !opts.schema) await dropSchema(schema);
    if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  let server: RunningServer;
  try {
    server = await startServer(config, {
      ...(opts.modules ? { modules: opts.modules } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.webDist ? { webDist: opts.webDist } : {}),
    });
  } catch (e) {
    // A start refused on purpose (a namespace clash, a duplicate code) leaves no schema or directory behind.
    await cleanUp();
    throw e;
  }
  const createUser: TestServer["createUser"] = async (o = {}) => {
    counter += 1;
    const username = o.username ?? `user${counter}${Math.random().toString(36).slice(2, 6)}`;
    const password = o.password ?? TEST_PASSWORD;
    const email = o.email === undefined ? `${username}@example.org` : o.email;
    const row = await insertUser(server.kernel.db, {
      username,
      displayName: o.displayName ?? username,
      email,
      role: o.role ?? "member",
      passwordHash: await hashPassword(password, config),
    });
    return { id: row.id, username, password, email };
  };
  const client = () => new TestClient(server.url);
  return {
    ...server,
    config,
    dataDir,
    client,
    createUser,
    signedIn: async (o) => {
      const user = await createUser(o);
      const c = client();
      const r = await c.post("/api/auth/sign-in", { login: user.username, password: user.password });
      if (r.status !== 200) throw new Error(`sign-in failed: ${r.status} ${r.text}`);
      return { client: c, user };
    },
    setupToken: () => issueSetupToken(server.kernel.db),
    close: async () => {
      await server.close();
      await cleanUp();
    },
  };
}
