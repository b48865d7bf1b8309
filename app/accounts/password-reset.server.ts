// «Забыли пароль?»: a one-hour reset link by e-mail, and setting a new password, which ends every
// other session of the account. The request's reply never tells whether the address is registered.
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { enqueueMail } from "../mail/outbox.server";
import { passwordChangedLetter, passwordResetLetter } from "../mail/templates.server";
import { takeRateLimitHit } from "../web/rate-limit.server";
import { FieldErrors } from "./errors.server";
import { hashPassword, passwordPolicyViolations, verifyPassword } from "./passwords.server";
import { emailField, type RequestOrigin } from "./registration.server";
import { endOtherSessions } from "./sessions.server";
import { checkEmailToken, consumeEmailToken, issueEmailToken, type TokenCheck } from "./tokens.server";

export const RESET_LIMIT = { max: 3, windowMs: 3600_000 };

export async function requestPasswordReset(
  db: Db,
  clock: Clock,
  rawEmail: string,
  origin: RequestOrigin,
): Promise<void> {
  const email = emailField.safeParse(rawEmail);
  if (!email.success) throw new FieldErrors({ email: email.error.issues[0].message });
  // Past the limit the request is dropped silently: a message would tell that the address is known.
  if (!(await takeRateLimitHit(db, clock, { bucket: `reset:${email.data}`, ...RESET_LIMIT }))) return;
  const user = await db.selectFrom("users").selectAll().where("email", "=", email.data).executeTakeFirst();
  if (!user) return;
  await db.transaction().execute(async (trx) => {
    const token = await issueEmailToken(trx, clock, user.id, "reset");
    await enqueueMail(trx, clock, {
      recipient: user.email,
      purpose: "reset",
      userId: user.id,
      ...passwordResetLetter({
        givenName: user.given_name,
        patronymic: user.patronymic,
        link: `${origin.appUrl}/reset-password/${token}`,
      }),
    });
    await recordAuditEvent(trx, clock, {
      action: "password.reset_requested",
      actorId: user.id,
      subjectType: "user",
      subjectId: user.id,
      ip: origin.ip,
    });
  });
}

/** A password-reset link, or an operator's invitation to set the first password. */
export async function checkResetToken(db: Db, clock: Clock, token: string): Promise<TokenCheck> {
  const reset = await checkEmailToken(db, clock, token, "reset");
  if (reset.state !== "unknown") return reset;
  return checkEmailToken(db, clock, token, "invite");
}

function newPasswordErrors(password: string, confirm: string, email: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const problems = passwordPolicyViolations(password, email);
  if (problems.length) errors.password = problems.join(" ");
  if (password !== confirm) errors.passwordConfirm = "Пароли не совпадают.";
  return errors;
}

async function storeNewPassword(
  db: Db,
  clock: Clock,
  userId: number,
  password: string,
  meta: { ip: string | null; via: "reset" | "profile"; keepSessionId?: string; consumeTokenId?: number },
): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (meta.consumeTokenId !== undefined && !(await consumeEmailToken(trx, clock, meta.consumeTokenId))) return false;
    const now = clock.now();
    const user = await trx.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    await trx
      .updateTable("users")
      .set({
        password_hash: passwordHash,
        password_changed_at: now.toISOString(),
        failed_login_count: 0,
        locked_until: null,
        // Following a reset link proves the address as well as a confirmation link does.
        ...(user.status === "unconfirmed" && meta.via === "reset"
          ? { status: "active" as const, confirmed_at: now.toISOString() }
          : {}),
      })
      .where("id", "=", userId)
      .execute();
    await endOtherSessions(trx, userId, meta.keepSessionId);
    await enqueueMail(trx, clock, {
      recipient: user.email,
      purpose: "password-changed",
      userId,
      ...passwordChangedLetter({
        givenName: user.given_name,
        patronymic: user.patronymic,
        at: new Intl.DateTimeFormat("ru-RU", {
          dateStyle: "short",
          timeStyle: "short",
          timeZone: "Europe/Moscow",
        }).format(now),
      }),
    });
    await recordAuditEvent(trx, clock, {
      action: "password.changed",
      actorId: userId,
      subjectType: "user",
      subjectId: userId,
      ip: meta.ip,
      details: { via: meta.via },
    });
    return true;
  });
}

export type ResetResult =
  | { ok: true }
  | { ok: false; token: "unknown" | "used" | "expired" }
  | { ok: false; fieldErrors: Record<string, string> };

export async function resetPassword(
  db: Db,
  clock: Clock,
  input: { token: string; password: string; passwordConfirm: string; ip: string | null; keepSessionId?: string },
): Promise<ResetResult> {
  const check = await checkResetToken(db, clock, input.token);
  if (check.state !== "valid") return { ok: false, token: check.state };
  const user = await db.selectFrom("users").select("email").where("id", "=", check.userId).executeTakeFirstOrThrow();
  const errors = newPasswordErrors(input.password, input.passwordConfirm, user.email);
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  const stored = await storeNewPassword(db, clock, check.userId, input.password, {
    ip: input.ip,
    via: "reset",
    consumeTokenId: check.tokenId,
    keepSessionId: input.keepSessionId,
  });
  return stored ? { ok: true } : { ok: false, token: "used" };
}

/** Profile password change: the current password is required; other sessions end, this one stays. */
export async function changePassword(
  db: Db,
  clock: Clock,
  input: {
    userId: number;
    sessionId: string;
    currentPassword: string;
    password: string;
    passwordConfirm: string;
    ip: string | null;
  },
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string> }> {
  const user = await db.selectFrom("users").selectAll().where("id", "=", input.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    return { ok: false, fieldErrors: { currentPassword: "Текущий пароль указан неверно." } };
  }
  const errors = newPasswordErrors(input.password, input.passwordConfirm, user.email);
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  await storeNewPassword(db, clock, input.userId, input.password, {
    ip: input.ip,
    via: "profile",
    keepSessionId: input.sessionId,
  });
  return { ok: true };
}
