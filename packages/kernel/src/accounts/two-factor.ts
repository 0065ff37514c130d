import type { Kysely } from "kysely";
import { verify } from "otplib";
import type { KernelTables, UsersTable } from "../db/tables.ts";
import { sha256 } from "./secrets.ts";

export interface SecondFactorInput {
  totp?: string | undefined;
  recoveryCode?: string | undefined;
}

/** Recovery codes are compared without dashes, spaces or case. */
export const normaliseRecoveryCode = (code: string): string => code.replace(/[\s-]/g, "").toLowerCase();

/**
 * Checks a TOTP code (±1 step, never the same step twice) or consumes a
 * recovery code. Returns false on any mismatch; the caller counts it as a
 * failed attempt.
 */
export async function verifySecondFactor(
  db: Kysely<KernelTables>,
  user: Pick<UsersTable, "id" | "totp_secret" | "totp_last_step">,
  input: SecondFactorInput,
): Promise<boolean> {
  if (input.totp && user.totp_secret && /^\d{6}$/.test(input.totp)) {
    const r = await verify({ secret: user.totp_secret, token: input.totp, epochTolerance: 30 });
    if (!r.valid) return false;
    const step = Math.floor(Date.now() / 30_000) + r.delta;
    if (user.totp_last_step !== null && step <= user.totp_last_step) return false;
    const upd = await db
      .updateTable("users")
      .set({ totp_last_step: step })
      .where("id", "=", user.id)
      .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
      .executeTakeFirst();
    return Number(upd.numUpdatedRows) === 1;
  }
  if (input.recoveryCode) {
    const hash = sha256(normaliseRecoveryCode(input.recoveryCode));
    const upd = await db
      .updateTable("recovery_codes")
      .set({ used_at: new Date().toISOString() })
      .where("user_id", "=", user.id)
      .where("code_hash", "=", hash)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(upd.numUpdatedRows) === 1;
  }
  return false;
}
