// Sign-in with e-mail and password: three wrong passwords in a row lock the account for 15 minutes.
import type { ExpressionBuilder } from "kysely";
import type { Db } from "../../db/index.server";
import type { Database } from "../../db/schema";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { takeRateLimitHit } from "../web/rate-limit.server";
import { verifyAgainstDummy, verifyPassword } from "./passwords.server";
import { normaliseEmail } from "./registration.server";
import { createSession, endSessionByToken } from "./sessions.server";

export const MAX_FAILED_SIGN_INS = 3;
export const LOCK_MS = 15 * 60_000;
/** Password spraying from one address across many accounts. */
export const SIGN_IN_IP_LIMIT = { max: 50, windowMs: 15 * 60_000 };

export type SignInResult =
  | { outcome: "signed-in"; sessionToken: string; userId: number; role: "representative" | "operator" | "admin" }
  | { outcome: "invalid"; attemptsLeft: number | null }
  | { outcome: "locked"; lockedUntil: string }
  | { outcome: "unconfirmed"; email: string }
  | { outcome: "rate-limited" };

export interface SignInRequest {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session cookie the browser still holds, ended so a signed-in user always gets a new id. */
  previousSessionToken?: string;
}

export async function signIn(db: Db, clock: Clock, req: SignInRequest): Promise<SignInResult> {
  const email = normaliseEmail(req.email);
  if (req.ip && !(await takeRateLimitHit(db, clock, { bucket: `sign-in-ip:${req.ip}`, ...SIGN_IN_IP_LIMIT }))) {
    return { outcome: "rate-limited" };
  }
  const user = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  if (!user) {
    await verifyAgainstDummy(req.password);
    await recordAuditEvent(db, clock, {
      action: "login.failed",
      ip: req.ip,
      details: { email: email.slice(0, 254), reason: "unknown-email" },
    });
    // An address without an account is «locked» after three tries like one with an account, so the answers
    // do not tell which addresses are registered.
    const allowed = await takeRateLimitHit(db, clock, {
      bucket: `sign-in-unknown:${email.slice(0, 254)}`,
      max: MAX_FAILED_SIGN_INS - 1,
      windowMs: LOCK_MS,
    });
    if (!allowed) return { outcome: "locked", lockedUntil: new Date(clock.now().getTime() + LOCK_MS).toISOString() };
    return { outcome: "invalid", attemptsLeft: null };
  }
  const audit = { actorId: user.id, subjectType: "user", subjectId: user.id, ip: req.ip };
  const now = clock.now();

  // Reserve this attempt before the password is verified: a conditional update that only a request within
  // the allowance can make, so however many arrive at once (on however many processes), no more than
  // MAX_FAILED_SIGN_INS wrong passwords are ever verified in a lock window. An ended lock starts afresh.
  const nowIso = now.toISOString();
  const ended = (eb: ExpressionBuilder<Database, "users">) =>
    eb.and([eb("locked_until", "is not", null), eb("locked_until", "<=", nowIso)]);
  const reserved = await db
    .updateTable("users")
    .set((eb) => ({
      failed_login_count: eb
        .case()
        .when(ended(eb))
        .then(1)
        .else(eb("failed_login_count", "+", 1))
        .end(),
      locked_until: eb.case().when(ended(eb)).then(null).else(eb.ref("locked_until")).end(),
    }))
    .where("id", "=", user.id)
    .where((eb) =>
      eb.or([ended(eb), eb.and([eb("locked_until", "is", null), eb("failed_login_count", "<", MAX_FAILED_SIGN_INS)])]),
    )
    .returning("failed_login_count")
    .executeTakeFirst();
  if (!reserved) {
    await recordAuditEvent(db, clock, { ...audit, action: "login.refused_locked" });
    // Locked, or the last allowed attempts are being checked right now: the same answer either way.
    return { outcome: "locked", lockedUntil: user.locked_until ?? new Date(now.getTime() + LOCK_MS).toISOString() };
  }

  if (!(await verifyPassword(user.password_hash, req.password))) {
    const failures = reserved.failed_login_count;
    if (failures >= MAX_FAILED_SIGN_INS) {
      const lockedUntil = new Date(now.getTime() + LOCK_MS).toISOString();
      await db.updateTable("users").set({ locked_until: lockedUntil }).where("id", "=", user.id).execute();
      await recordAuditEvent(db, clock, { ...audit, action: "login.failed", details: { reason: "wrong-password" } });
      await recordAuditEvent(db, clock, { ...audit, action: "account.locked", details: { until: lockedUntil } });
      return { outcome: "locked", lockedUntil };
    }
    await recordAuditEvent(db, clock, { ...audit, action: "login.failed", details: { reason: "wrong-password" } });
    return { outcome: "invalid", attemptsLeft: MAX_FAILED_SIGN_INS - failures };
  }
  // The right password: the reserved attempt is given back.
  await db.updateTable("users").set({ failed_login_count: 0 }).where("id", "=", user.id).execute();

  if (user.status === "unconfirmed") {
    await recordAuditEvent(db, clock, { ...audit, action: "login.refused_unconfirmed" });
    return { outcome: "unconfirmed", email: user.email };
  }
  if (user.status !== "active") {
    await recordAuditEvent(db, clock, { ...audit, action: "login.refused_locked", details: { status: user.status } });
    return { outcome: "locked", lockedUntil: "" };
  }

  const sessionToken = await db.transaction().execute(async (trx) => {
    await endSessionByToken(trx, req.previousSessionToken);
    await trx
      .updateTable("users")
      .set({ failed_login_count: 0, locked_until: null })
      .where("id", "=", user.id)
      .execute();
    const token = await createSession(trx, clock, user.id, { ip: req.ip, userAgent: req.userAgent });
    await recordAuditEvent(trx, clock, { ...audit, action: "login.succeeded" });
    return token;
  });
  return { outcome: "signed-in", sessionToken, userId: user.id, role: user.role };
}
