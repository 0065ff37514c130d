import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  AppError,
  createKernel,
  deactivateUser,
  displayNameSchema,
  recordEvent,
  emailSchema,
  usernameSchema,
  type Config,
  type Kernel,
} from "@ensemble/kernel";
import { checkPasswordRules, generatePassword, hashPassword, insertUser } from "@ensemble/kernel/composition";
import { runMigrations } from "../server.ts";
import { UsageError, type Command } from "./command.ts";

const USAGE = `Usage:
  ensemble user add <username> [--admin | --guest] [--email E] [--display-name N] [--password-stdin]
  ensemble user list [--json]
  ensemble user deactivate <username>
  ensemble user activate <username>
  ensemble user reset-2fa <username>

Without --password-stdin, "user add" prints a generated password once.`;

/** A failure that is not a usage mistake (no such user, name taken): message to stderr, exit 1. */
class CommandFailure extends Error {}

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O, positionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(
      `${positionals === 1 ? "expected exactly one username" : "unexpected argument"}: ${parsed.positionals.join(" ") || "(none)"}\n\n${USAGE}`,
    );
  }
  return parsed;
}

function parseUsername(raw: string | undefined): string {
  const r = usernameSchema.safeParse(raw ?? "");
  if (!r.success) throw new UsageError(`invalid username "${raw}": ${r.error.issues[0]?.message ?? "not allowed"}`);
  return r.data;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError(
      "--password-stdin reads the password from a pipe, e.g.: printf '%s' \"$PW\" | ensemble user add …",
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function findByUsername(k: Kernel, username: string) {
  const user = await k.db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  if (!user) throw new CommandFailure(`There is no user "${username}". See: ensemble user list`);
  return user;
}

type Action = (k: Kernel, config: Config) => Promise<void>;

async function add(args: string[]): Promise<Action> {
  const { values, positionals } = parse(
    args,
    {
      admin: { type: "boolean" },
      guest: { type: "boolean" },
      email: { type: "string" },
      "display-name": { type: "string" },
      "password-stdin": { type: "boolean" },
    },
    1,
  );
  if (values.admin && values.guest)
    throw new UsageError("--admin and --guest cannot be combined: a user has one role.");
  const username = parseUsername(positionals[0]);
  let email: string | null = null;
  if (values.email !== undefined) {
    const r = emailSchema.safeParse(values.email);
    if (!r.success) throw new UsageError(`invalid e-mail address "${values.email}"`);
    email = r.data;
  }
  const dn = displayNameSchema.safeParse(values["display-name"] ?? username);
  if (!dn.success) throw new UsageError("the display name must have 1 to 80 characters");
  let password: string;
  const generated = !values["password-stdin"];
  if (generated) {
    password = generatePassword(username);
  } else {
    password = await readStdin();
    if (!password) throw new UsageError("--password-stdin: nothing was read from standard input");
    try {
      checkPasswordRules(password, { username, email });
    } catch (e) {
      if (e instanceof AppError) throw new UsageError(`password refused: ${e.message}`);
      throw e;
    }
  }
  const role = values.admin ? "admin" : values.guest ? "guest" : "member";
  return async (k, config) => {
    try {
      const passwordHash = await hashPassword(password, config);
      // Recorded with the account, so the audit log shows who was created from the command line.
      await k.db.transaction().execute(async (tx) => {
        const user = await insertUser(tx, { username, displayName: dn.data, email, role, passwordHash });
        await recordEvent(tx, {
          name: "accounts.user.created",
          actorId: null,
          resources: { user: user.id },
          payload: { username, kind: "person", role, via: "cli" },
        });
      });
    } catch (e) {
      if (e instanceof AppError && (e.code === "username_taken" || e.code === "email_taken")) {
        throw new CommandFailure(
          e.code === "username_taken"
            ? `The username "${username}" is already taken.`
            : `The e-mail address ${email} is already used by another user.`,
        );
      }
      throw e;
    }
    process.stdout.write(`Created ${role} "${username}".\n`);
    if (generated) process.stdout.write(`Password (shown once, pass it on safely): ${password}\n`);
  };
}

function list(args: string[]): Action {
  const { values } = parse(args, { json: { type: "boolean" } }, 0);
  return async (k) => {
    const rows = await k.db
      .selectFrom("users")
      .select(["username", "display_name", "email", "role", "deactivated", "totp_enabled", "created_at"])
      .orderBy("username")
      .execute();
    if (values.json) {
      const out = rows.map((r) => ({
        username: r.username,
        displayName: r.display_name,
        email: r.email,
        role: r.role,
        status: r.deactivated ? "deactivated" : "active",
        twoFactor: r.totp_enabled === 1,
        createdAt: r.created_at,
      }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const table = [
      ["USERNAME", "DISPLAY NAME", "ROLE", "STATUS", "2FA"],
      ...rows.map((r) => [
        r.username,
        r.display_name,
        r.role,
        r.deactivated ? "deactivated" : "active",
        r.totp_enabled ? "on" : "off",
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    for (const row of table)
      process.stdout.write(
        `${row
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()}\n`,
      );
    process.stdout.write(`${rows.length} user(s)\n`);
  };
}

function deactivate(args: string[]): Action {
  const username = parseUsername(parse(args, {}, 1).positionals[0]);
  return async (k) => {
    const user = await findByUsername(k, username);
    let r;
    try {
      r = await deactivateUser(k, user.id, { actorId: null, via: "cli" });
    } catch (e) {
      if (e instanceof AppError && e.code === "conflict")
        throw new CommandFailure(
          `"${username}" is the last active administrator. Create another first (ensemble user add <name> --admin), then deactivate this one.`,
        );
      throw e;
    }
    // Closing their WebSockets reaches every node that shares REDIS_URL with this command.
    const live = r.liveError
      ? `\nWarning: could not reach Redis to close their open WebSockets (${r.liveError.message}); they stay open until they reconnect or the server restarts.`
      : "";
    const already = r.already ? " (it already was)" : "";
    process.stdout.write(
      `Deactivated "${username}"${already}: ${r.sessions} session(s) ended, ${r.tokens} app password(s) revoked.${live}\n`,
    );
  };
}

function activate(args: string[]): Action {
  const username = parseUsername(parse(args, {}, 1).positionals[0]);
  return async (k) => {
    const user = await findByUsername(k, username);
    await k.db
      .updateTable("users")
      .set({ deactivated: 0, updated_at: new Date().toISOString() })
      .where("id", "=", user.id)
      .execute();
    process.stdout.write(
      `Activated "${username}"${user.deactivated ? "" : " (it already was)"}: they can sign in again.\n`,
    );
  };
}

function resetTwoFactor(args: string[]): Action {
  const username = parseUsername(parse(args, {}, 1).positionals[0]);
  return async (k) => {
    const user = await findByUsername(k, username);
    await k.db.transaction().execute(async (tx) => {
      await tx
        .updateTable("users")
        .set({ totp_secret: null, totp_enabled: 0, totp_last_step: null, updated_at: new Date().toISOString() })
        .where("id", "=", user.id)
        .execute();
      await tx.deleteFrom("recovery_codes").where("user_id", "=", user.id).execute();
      await tx
        .deleteFrom("one_time_tokens")
        .where("user_id", "=", user.id)
        .where("purpose", "=", "two_factor")
        .execute();
    });
    process.stdout.write(
      user.totp_enabled
        ? `Two-factor authentication reset for "${username}": they sign in with their password and can enrol a new device.\n`
        : `"${username}" had no two-factor authentication enabled; any pending set-up was cleared.\n`,
    );
  };
}

/** Each subcommand checks its arguments first, so usage mistakes never touch the database. */
const subcommands: Record<string, (args: string[]) => Action | Promise<Action>> = {
  add,
  list,
  deactivate,
  activate,
  "reset-2fa": resetTwoFactor,
};

export const user: Command = {
  summary: "Manage accounts: user add | list | deactivate | activate | reset-2fa",
  run: async (args, config) => {
    const [sub, ...rest] = args;
    if (!sub || sub === "--help" || sub === "help") {
      process.stdout.write(`${USAGE}\n`);
      return sub ? 0 : 64;
    }
    const prepare = subcommands[sub];
    if (!prepare) throw new UsageError(`unknown subcommand "user ${sub}"\n\n${USAGE}`);
    const action = await prepare(rest);
    // Only deactivation talks to the other nodes (to close WebSockets); the rest must work with Redis down.
    const kernel = await createKernel({
      ...config,
      LOG_LEVEL: "warn",
      ...(sub === "deactivate" ? {} : { REDIS_URL: undefined }),
    });
    try {
      // Same schema as the server expects: a fresh install can be set up from the CLI before the first start.
      await runMigrations(kernel);
      await action(kernel, config);
      return 0;
    } catch (e) {
      if (!(e instanceof CommandFailure)) throw e;
      process.stderr.write(`${e.message}\n`);
      return 1;
    } finally {
      await kernel.close();
    }
  },
};
