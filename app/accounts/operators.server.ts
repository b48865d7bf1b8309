// Operator accounts: staff of one territorial office. Created by `npm run operator:create` or by an
// administrator; the operator receives a one-time link (3 days) to set the first password.
import crypto from "node:crypto";
import { z } from "zod";
import type { Db } from "../../db/index.server";
import { isUniqueViolation } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { enqueueMail } from "../mail/outbox.server";
import { operatorInvitationLetter } from "../mail/templates.server";
import { EmailTakenError, FieldErrors } from "./errors.server";
import { hashPassword } from "./passwords.server";
import { emailField, fieldErrorsOf, normalisePersonName } from "./registration.server";
import { issueEmailToken } from "./tokens.server";

export const operatorSchema = z.object({
  email: emailField,
  surname: z
    .string()
    .transform(normalisePersonName)
    .refine((v) => v.length > 0, "Укажите фамилию."),
  givenName: z
    .string()
    .transform(normalisePersonName)
    .refine((v) => v.length > 0, "Укажите имя."),
  patronymic: z.string().default("").transform(normalisePersonName),
  office: z
    .string()
    .trim()
    .regex(/^\d{4}$/, "Код территориального органа — 4 цифры, например 7700."),
});

export async function createOperator(
  db: Db,
  clock: Clock,
  input: z.input<typeof operatorSchema>,
  meta: { appUrl: string; createdBy: number | null; ip: string | null },
): Promise<{ userId: number; email: string; officeName: string }> {
  const parsed = operatorSchema.safeParse(input);
  if (!parsed.success) throw new FieldErrors(fieldErrorsOf(parsed.error));
  const v = parsed.data;
  const office = await db
    .selectFrom("territorial_bodies")
    .select(["code", "name"])
    .where("code", "=", v.office)
    .executeTakeFirst();
  if (!office) throw new FieldErrors({ office: `Территориальный орган с кодом ${v.office} не найден в справочнике.` });
  if (await db.selectFrom("users").select("id").where("email", "=", v.email).executeTakeFirst())
    throw new EmailTakenError();
  // Nobody knows this password: the operator sets one through the link.
  const unusable = await hashPassword(crypto.randomBytes(32).toString("base64url"));
  try {
    return await db.transaction().execute(async (trx) => {
      const now = clock.now().toISOString();
      const user = await trx
        .insertInto("users")
        .values({
          role: "operator",
          surname: v.surname,
          given_name: v.givenName,
          patronymic: v.patronymic,
          email: v.email,
          password_hash: unusable,
          status: "unconfirmed",
          territorial_body_code: office.code,
          locked_until: null,
          created_at: now,
          confirmed_at: null,
          password_changed_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const token = await issueEmailToken(trx, clock, user.id, "invite");
      await enqueueMail(trx, clock, {
        recipient: v.email,
        purpose: "operator-invite",
        userId: user.id,
        ...operatorInvitationLetter({
          givenName: v.givenName,
          patronymic: v.patronymic,
          officeName: office.name,
          link: `${meta.appUrl}/reset-password/${token}`,
        }),
      });
      await recordAuditEvent(trx, clock, {
        action: "operator.created",
        actorId: meta.createdBy,
        subjectType: "user",
        subjectId: user.id,
        ip: meta.ip,
        details: { office: office.code },
      });
      return { userId: user.id, email: v.email, officeName: office.name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EmailTakenError();
    throw error;
  }
}

export async function operatorsList(db: Db) {
  return db
    .selectFrom("users")
    .innerJoin("territorial_bodies", "territorial_bodies.code", "users.territorial_body_code")
    .select([
      "users.id",
      "users.surname",
      "users.given_name",
      "users.patronymic",
      "users.email",
      "users.status",
      "users.territorial_body_code",
      "territorial_bodies.region",
    ])
    .where("users.role", "=", "operator")
    .orderBy("users.territorial_body_code")
    .orderBy("users.surname")
    .execute();
}
