import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloseCodes } from "@ensemble/protocol";
import {
  dropSchema,
  newSchemaName,
  realtimeClient,
  startTestServer,
  testDbKind,
  testRedisUrl,
  waitFor,
  type TestServer,
} from "@ensemble/testkit";
import { runCli, storageEnv } from "./cli-process.ts";

const PASSWORD = "Quiet-Lantern-Orchard-73";
const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 30_000) * 30 + 1 });

/** The CLI as a real child process, sharing DATA_DIR (SQLite) or the schema (PostgreSQL) with a running test server. */
// Each CLI call is a fresh Node process loading the kernel (1-3 s on a loaded CI machine); some tests make ten.
describe("ensemble user", { timeout: 120_000 }, () => {
  let s: TestServer;
  let dataDir: string;
  let env: Record<string, string>;
  const schema = testDbKind() === "postgres" ? newSchemaName() : undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ensemble-cli-"));
    // The CLI and the server share Redis as two nodes would, so that deactivation reaches live WebSockets.
    const redis = { REDIS_URL: testRedisUrl(), REDIS_PREFIX: `cli-test-${randomBytes(4).toString("hex")}:` };
    s = await startTestServer({
      dataDir,
      ...(schema ? { schema } : {}),
      env: { RATE_LIMIT_SIGNIN_PER_MIN: "1000", ...redis },
    });
    env = { ...storageEnv(dataDir, schema), ...redis };
  });
  afterAll(async () => {
    await s.close();
    if (schema) await dropSchema(schema);
    await rm(dataDir, { recursive: true, force: true });
  });

  const signIn = (login: string, password: string, extra: Record<string, string> = {}) => {
    const c = s.client();
    return c.post("/api/auth/sign-in", { login, password, ...extra }).then((r) => ({ r, c }));
  };

  it("adds an admin with a password read from stdin, who can then sign in", async () => {
    const r = await runCli(
      [
        "user",
        "add",
        "Alice.Admin",
        "--admin",
        "--email",
        "Alice@Example.org",
        "--display-name",
        "Alice Durand",
        "--password-stdin",
      ],
      env,
      `${PASSWORD}\n`,
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created admin "alice.admin"');
    expect(r.stdout).not.toContain(PASSWORD);
    const { r: signedIn, c } = await signIn("alice@example.org", PASSWORD);
    expect(signedIn.status).toBe(200);
    const me = await c.get<{ user: { username: string; displayName: string; role: string; email: string } }>("/api/me");
    expect(me.body.user).toMatchObject({
      username: "alice.admin",
      displayName: "Alice Durand",
      role: "admin",
      email: "alice@example.org",
    });
    // The audit log shows the account created from the command line (no actor: the CLI has none).
    type Entry = { actor: unknown; details: { payload?: { username?: string } } };
    const created = async () =>
      (await c.get<{ items: Entry[] }>("/api/admin/audit?action=accounts.user.created")).body.items.find(
        (e) => e.details.payload?.username === "alice.admin",
      );
    await waitFor(async () => (await created()) !== undefined, "the audit entry of the CLI-created account");
    expect(await created()).toMatchObject({
      actor: null,
      details: { payload: { username: "alice.admin", kind: "person", role: "admin", via: "cli" } },
    });
  });

  it("prints a generated strong password once when none is given", async () => {
    const r = await runCli(["user", "add", "gaston", "--guest"], env);
    expect(r.code).toBe(0);
    const password = /Password \(shown once[^)]*\): (\S+)/.exec(r.stdout)?.[1];
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout.split(password!).length - 1).toBe(1);
    const { r: signedIn, c } = await signIn("gaston", password!);
    expect(signedIn.status).toBe(200);
    expect((await c.get<{ user: { role: string } }>("/api/me")).body.user.role).toBe("guest");
  });

  it("answers usage mistakes with exit code 64 and a message, changing nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["user"], /Usage:/],
      [["user", "frobnicate"], /unknown subcommand "user frobnicate"/],
      [["user", "add"], /expected exactly one username/],
      [["user", "add", "x y z!"], /invalid username/],
      [["user", "add", "bertrand", "--admin", "--guest"], /--admin and --guest cannot be combined/],
      [["user", "add", "bertrand", "--email", "not-an-address"], /invalid e-mail address/],
      [["user", "add", "bertrand", "--colour", "blue"], /Unknown option '--colour'/],
      [["user", "deactivate"], /expected exactly one username/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(" ")).toBe(64);
      expect(r.stderr + r.stdout).toMatch(message);
    }
    const weak = await runCli(["user", "add", "bertrand", "--password-stdin"], env, "password123\n");
    expect(weak.code).toBe(64);
    expect(weak.stderr).toMatch(/password refused: .*leaked/);
    const list = await runCli(["user", "list", "--json"], env);
    expect((JSON.parse(list.stdout) as { username: string }[]).map((u) => u.username)).not.toContain("bertrand");
  });

  it("refuses a taken username and an unknown user with exit code 1", async () => {
    const taken = await runCli(["user", "add", "alice.admin"], env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('The username "alice.admin" is already taken.');
    const unknown = await runCli(["user", "reset-2fa", "nobody-here"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no user "nobody-here"');
  });

  it("lists users as a table with username, display name, role, status and 2FA", async () => {
    await s.createUser({ username: "zoe", displayName: "Zoé Élise", role: "member" });
    const r = await runCli(["user", "list"], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^USERNAME\s+DISPLAY NAME\s+ROLE\s+STATUS\s+2FA$/);
    expect(lines.find((l) => l.startsWith("zoe "))).toMatch(/^zoe\s+Zoé Élise\s+member\s+active\s+off$/);
    expect(lines.find((l) => l.startsWith("alice.admin "))).toMatch(/Alice Durand\s+admin\s+active\s+off$/);
    // Columns line up: every cell of the ROLE column starts at the same offset.
    const at = lines[0]!.indexOf("ROLE");
    expect(lines.find((l) => l.startsWith("zoe "))!.slice(at)).toMatch(/^member/);
  });

  it("deactivates a user: their live session, WebSocket and app token stop working at once", async () => {
    const u = await s.createUser({ username: "dominique", password: PASSWORD });
    const { r: signedIn, c } = await signIn(u.username, PASSWORD);
    expect(signedIn.status).toBe(200);
    const token = await c.post<{ token: string }>("/api/me/tokens", { name: "script", scopes: ["read"] });
    expect(token.status).toBe(201);
    const bearer = { headers: { authorization: `Bearer ${token.body.token}` } };
    expect((await s.client().get("/api/me", bearer)).status).toBe(200);
    expect((await c.get("/api/me")).status).toBe(200);
    const socket = realtimeClient(s.url, c);
    const closes: number[] = [];
    socket.on("close", (e) => closes.push(e.code));
    await socket.opened();

    const r = await runCli(["user", "deactivate", "dominique"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Deactivated "dominique": 1 session(s) ended, 1 app password(s) revoked.');

    await waitFor(() => closes.includes(CloseCodes.sessionEnded.code), "the WebSocket closing with 4003");
    socket.close();
    expect((await c.get("/api/me")).status).toBe(401);
    expect((await s.client().get("/api/me", bearer)).status).toBe(401);
    expect((await signIn(u.username, PASSWORD)).r.status).toBe(401);
    const sessions = await s.kernel.db.selectFrom("sessions").select("id").where("user_id", "=", u.id).execute();
    expect(sessions).toEqual([]);
    const list = await runCli(["user", "list"], env);
    expect(list.stdout).toMatch(/^dominique\s+dominique\s+member\s+deactivated\s+off$/m);

    const again = await runCli(["user", "activate", "dominique"], env);
    expect(again.code).toBe(0);
    expect((await signIn(u.username, PASSWORD)).r.status).toBe(200);
    // Reactivation does not bring the old credentials back.
    expect((await s.client().get("/api/me", bearer)).status).toBe(401);
  });

  it("refuses to deactivate the last active administrator", async () => {
    const admins = (
      JSON.parse((await runCli(["user", "list", "--json"], env)).stdout) as {
        username: string;
        role: string;
        status: string;
      }[]
    ).filter((u) => u.role === "admin" && u.status === "active");
    expect(admins.map((a) => a.username)).toEqual(["alice.admin"]);
    const r = await runCli(["user", "deactivate", "alice.admin"], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"alice.admin" is the last active administrator');
    expect((await signIn("alice.admin", PASSWORD)).r.status).toBe(200);
  });

  it("resets two-factor authentication: secret and recovery codes are gone, the password alone signs in", async () => {
    const u = await s.createUser({ username: "camille", password: PASSWORD });
    const { c } = await signIn(u.username, PASSWORD);
    const setup = await c.post<{ secret: string }>("/api/me/two-factor/setup");
    expect(setup.status).toBe(200);
    const enable = await c.post<{ recoveryCodes: string[] }>("/api/me/two-factor/enable", {
      code: await codeNow(setup.body.secret),
    });
    expect(enable.status).toBe(200);
    expect((await signIn(u.username, PASSWORD)).r.body).toMatchObject({ code: "two_factor_required" });
    expect((await runCli(["user", "list"], env)).stdout).toMatch(/^camille\s+camille\s+member\s+active\s+on$/m);

    const r = await runCli(["user", "reset-2fa", "camille"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Two-factor authentication reset for "camille"');

    const row = await s.kernel.db
      .selectFrom("users")
      .select(["totp_secret", "totp_enabled"])
      .where("id", "=", u.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ totp_secret: null, totp_enabled: 0 });
    const codes = await s.kernel.db.selectFrom("recovery_codes").select("id").where("user_id", "=", u.id).execute();
    expect(codes).toEqual([]);
    const after = await signIn(u.username, PASSWORD);
    expect(after.r.status).toBe(200);
    // An old recovery code is worthless now: it is not even asked for.
    expect((await after.c.get<{ enabled: boolean }>("/api/me/two-factor")).body.enabled).toBe(false);
    expect((await runCli(["user", "list"], env)).stdout).toMatch(/^camille\s+camille\s+member\s+active\s+off$/m);
  });
});
