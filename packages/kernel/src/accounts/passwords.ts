import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { hash, verify } from "@node-rs/argon2";

/** `ARGON2ID`; the package exports it as an ambient const enum, which type stripping cannot inline. */
const ARGON2ID = 2;
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL("../../data/common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/** Throws `weak_password` with the reason a person can act on. */
export function checkPasswordRules(password: string, context: { username?: string; email?: string | null } = {}): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("weak_password", `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError("weak_password", `the password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    throw new AppError("weak_password", "this password appears in lists of leaked passwords; choose another");
  }
  if (context.username && lower.includes(context.username.toLowerCase())) {
    throw new AppError("weak_password", "the password must not contain the username");
  }
}

/**
 * A password handed to a person by whoever created their account (the CLI's
 * `user add`, Administration › Users): 20 characters from a 54-symbol
 * alphabet without look-alikes (0/O, 1/l/I), about 115 bits, passing the
 * rules for `username`.
 */
export function generatePassword(username: string): string {
  const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  for (;;) {
    const groups: string[] = [];
    for (let g = 0; g < 4; g++) {
      let s = "";
      for (let i = 0; i < 5; i++) s += alphabet[randomInt(alphabet.length)];
      groups.push(s);
    }
    const password = groups.join("-");
    try {
      checkPasswordRules(password, { username });
      return password;
    } catch {
      // Astronomically rare (the username inside it): draw again.
    }
  }
}

export function hashPassword(
  password: string,
  config: Pick<Config, "ARGON2_MEMORY_KIB" | "ARGON2_PASSES">,
): Promise<string> {
  return hash(password, {
    algorithm: ARGON2ID,
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_PASSES,
    parallelism: 1,
  });
}

export async function verifyPassword(hashed: string | null, password: string): Promise<boolean> {
  if (!hashed) {
    // Spend comparable time so that "no such user" is not faster than "wrong password".
    await hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    return false;
  }
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
