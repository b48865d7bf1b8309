// Registration of representatives, e-mail confirmation and the resend of the confirmation letter.
import { z } from "zod";
import type { Db } from "../../db/index.server";
import { isUniqueViolation } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { enqueueMail } from "../mail/outbox.server";
import { confirmationLetter, registrationAttemptLetter } from "../mail/templates.server";
import { takeRateLimitHit } from "../web/rate-limit.server";
import { FieldErrors, RateLimitedError } from "./errors.server";
import { hashPassword, passwordPolicyViolations } from "./passwords.server";
import { checkEmailToken, consumeEmailToken, issueEmailToken } from "./tokens.server";

export const RESEND_LIMIT = { max: 3, windowMs: 3600_000 };

export function normaliseEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}

/** Trims a part of a name and collapses inner runs of spaces. */
export function normalisePersonName(value: string): string {
  return value.normalize("NFC").trim().replace(/\s+/g, " ");
}

const NAME_PATTERN = /^\p{L}[\p{L}\p{M} '’.-]*$/u;

function nameField(label: string, required: boolean) {
  return z
    .string()
    .transform(normalisePersonName)
    .refine((v) => !required || v.length > 0, `Укажите ${label}.`)
    .refine((v) => v.length <= 100, `${label[0].toUpperCase()}${label.slice(1)}: не длиннее 100 символов.`)
    .refine(
      (v) => v === "" || NAME_PATTERN.test(v),
      `${label[0].toUpperCase()}${label.slice(1)} может содержать только буквы, пробел, дефис и апостроф.`,
    );
}

export const emailField = z
  .string()
  .transform(normaliseEmail)
  .refine((v) => v.length > 0, "Укажите адрес электронной почты.")
  .refine(
    (v) => v.length <= 254 && z.email().safeParse(v).success,
    "Адрес электронной почты указан неверно. Пример: ivanova@example.ru",
  );

export const registrationSchema = z
  .object({
    surname: nameField("фамилию", true),
    givenName: nameField("имя", true),
    patronymic: nameField("отчество", false),
    email: emailField,
    password: z.string().max(1000),
    passwordConfirm: z.string().max(1000),
  })
  .superRefine((v, ctx) => {
    const problems = passwordPolicyViolations(v.password, v.email);
    if (problems.length) ctx.addIssue({ code: "custom", path: ["password"], message: problems.join(" ") });
    if (v.password !== v.passwordConfirm) {
      ctx.addIssue({ code: "custom", path: ["passwordConfirm"], message: "Пароли не совпадают." });
    }
  });

export type RegistrationInput = z.input<typeof registrationSchema>;

/** Turns a zod error into { field: first message } for the form. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

export interface RequestOrigin {
  ip: string | null;
  appUrl: string;
}

/**
 * Creates an unconfirmed representative and queues the confirmation letter, in one transaction.
 * Throws FieldErrors for bad input. An address that already has an account gets the same answer as a new
 * one — the page never tells a stranger which addresses are registered — and its owner gets a letter saying
 * that someone tried (at most RESEND_LIMIT letters an hour to one address).
 */
export async function registerRepresentative(
  db: Db,
  clock: Clock,
  input: RegistrationInput,
  origin: RequestOrigin,
): Promise<{ userId: number | null; email: string }> {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) throw new FieldErrors(fieldErrorsOf(parsed.error));
  const v = parsed.data;

  // Hashed either way, so a known address answers no faster than a new one.
  const passwordHash = await hashPassword(v.password);
  const existing = await db
    .selectFrom("users")
    .select(["id", "given_name", "patronymic"])
    .where("email", "=", v.email)
    .executeTakeFirst();
  if (existing) {
    await tellOwnerOfRegistrationAttempt(db, clock, { ...existing, email: v.email }, origin);
    return { userId: null, email: v.email };
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const now = clock.now().toISOString();
      const user = await trx
        .insertInto("users")
        .values({
          role: "representative",
          surname: v.surname,
          given_name: v.givenName,
          patronymic: v.patronymic,
          email: v.email,
          password_hash: passwordHash,
          status: "unconfirmed",
          territorial_body_code: null,
          locked_until: null,
          created_at: now,
          confirmed_at: null,
          password_changed_at: now,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const token = await issueEmailToken(trx, clock, user.id, "confirm");
      await enqueueMail(trx, clock, {
        recipient: v.email,
        purpose: "confirm",
        userId: user.id,
        ...confirmationLetter({
          givenName: v.givenName,
          patronymic: v.patronymic,
          link: `${origin.appUrl}/confirm/${token}`,
        }),
      });
      await recordAuditEvent(trx, clock, {
        action: "account.registered",
        actorId: user.id,
        subjectType: "user",
        subjectId: user.id,
        ip: origin.ip,
      });
      return { userId: user.id, email: v.email };
    });
  } catch (error) {
    // Two registrations of one address at the same moment: the unique index decides; the other one is
    // answered as any registration of a known address.
    if (isUniqueViolation(error)) return { userId: null, email: v.email };
    throw error;
  }
}

async function tellOwnerOfRegistrationAttempt(
  db: Db,
  clock: Clock,
  owner: { id: number; email: string; given_name: string; patronymic: string },
  origin: RequestOrigin,
): Promise<void> {
  await recordAuditEvent(db, clock, {
    action: "account.registration_attempt",
    subjectType: "user",
    subjectId: owner.id,
    ip: origin.ip,
  });
  if (!(await takeRateLimitHit(db, clock, { bucket: `register-known:${owner.email}`, ...RESEND_LIMIT }))) return;
  await enqueueMail(db, clock, {
    recipient: owner.email,
    purpose: "registration-attempt",
    userId: owner.id,
    ...registrationAttemptLetter({
      givenName: owner.given_name,
      patronymic: owner.patronymic,
      link: `${origin.appUrl}/forgot-password`,
    }),
  });
}

export type ConfirmationResult = "confirmed" | "already-confirmed" | "used" | "expired" | "unknown";

export async function confirmEmail(
  db: Db,
  clock: Clock,
  token: string,
  ip: string | null,
): Promise<ConfirmationResult> {
  const check = await checkEmailToken(db, clock, token, "confirm");
  if (check.state === "unknown" || check.state === "expired") return check.state;
  if (check.state === "used") return "used";
  return db.transaction().execute(async (trx) => {
    if (!(await consumeEmailToken(trx, clock, check.tokenId))) return "used" as const;
    const user = await trx
      .selectFrom("users")
      .select(["status"])
      .where("id", "=", check.userId)
      .executeTakeFirstOrThrow();
    if (user.status !== "unconfirmed") return "already-confirmed" as const;
    await trx
      .updateTable("users")
      .set({ status: "active", confirmed_at: clock.now().toISOString() })
      .where("id", "=", check.userId)
      .execute();
    await recordAuditEvent(trx, clock, {
      action: "account.confirmed",
      actorId: check.userId,
      subjectType: "user",
      subjectId: check.userId,
      ip,
    });
    return "confirmed" as const;
  });
}

/**
 * Sends a fresh confirmation letter when the address belongs to an unconfirmed account. The reply is
 * the same whether or not it does; the limit counts per address, registered or not, so it tells nothing.
 */
export async function resendConfirmation(db: Db, clock: Clock, rawEmail: string, origin: RequestOrigin): Promise<void> {
  const email = emailField.safeParse(rawEmail);
  if (!email.success) throw new FieldErrors({ email: email.error.issues[0].message });
  const allowed = await takeRateLimitHit(db, clock, { bucket: `resend:${email.data}`, ...RESEND_LIMIT });
  if (!allowed) throw new RateLimitedError(60);
  const user = await db.selectFrom("users").selectAll().where("email", "=", email.data).executeTakeFirst();
  if (!user || user.status !== "unconfirmed") return;
  await db.transaction().execute(async (trx) => {
    const token = await issueEmailToken(trx, clock, user.id, "confirm");
    await enqueueMail(trx, clock, {
      recipient: user.email,
      purpose: "confirm",
      userId: user.id,
      ...confirmationLetter({
        givenName: user.given_name,
        patronymic: user.patronymic,
        link: `${origin.appUrl}/confirm/${token}`,
      }),
    });
    await recordAuditEvent(trx, clock, {
      action: "confirmation.resent",
      actorId: user.id,
      subjectType: "user",
      subjectId: user.id,
      ip: origin.ip,
    });
  });
}
