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
import { branchOfRegion } from "../organizations/branches";

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
  subdivisions: z.string().default(""),
});

/**
 * «0201, 0274» → ["0201", "0274"]: the four-digit subdivisions (first digits of the ФСС numbers) an operator is
 * limited to, each of a region the branch serves; empty → null, every subdivision of the branch.
 */
export function parseSubdivisions(raw: string, officeCode: string): string[] | null | { error: string } {
  const codes = [...new Set(raw.split(/[\s,;]+/).filter(Boolean))].sort();
  if (!codes.length) return null;
  const malformed = codes.find((c) => !/^\d{4}$/.test(c));
  if (malformed)
    return { error: `Код подразделения — 4 цифры (первые цифры рег. номера ФСС), а указано «${malformed}».` };
  const foreign = codes.find((c) => branchOfRegion(c.slice(0, 2)) !== officeCode);
  if (foreign)
    return {
      error: `Подразделение ${foreign} относится не к отделению ${officeCode}: сотрудник видит только заявки своего отделения.`,
    };
  if (codes.length > 50) return { error: "Не больше 50 подразделений; чтобы открыть все, оставьте поле пустым." };
  return codes;
}

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
  const subdivisions = parseSubdivisions(v.subdivisions, office.code);
  if (subdivisions && "error" in subdivisions) throw new FieldErrors({ subdivisions: subdivisions.error });
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
          subdivision_codes: subdivisions ? subdivisions.join(",") : null,
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
        details: { office: office.code, subdivisions },
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
      "users.subdivision_codes",
      "territorial_bodies.region",
    ])
    .where("users.role", "=", "operator")
    .orderBy("users.territorial_body_code")
    .orderBy("users.surname")
    .execute();
}

/** Limits an operator to some subdivisions of their branch, or (empty) opens all of them again; audited. */
export async function limitOperatorToSubdivisions(
  db: Db,
  clock: Clock,
  operatorId: number,
  raw: string,
  meta: { changedBy: number; ip: string | null },
): Promise<{ email: string; subdivisions: string[] | null }> {
  const operator = await db
    .selectFrom("users")
    .select(["id", "email", "territorial_body_code", "subdivision_codes"])
    .where("id", "=", operatorId)
    .where("role", "=", "operator")
    .executeTakeFirst();
  if (!operator?.territorial_body_code) throw new FieldErrors({ subdivisions: "Сотрудник не найден." });
  const subdivisions = parseSubdivisions(raw, operator.territorial_body_code);
  if (subdivisions && "error" in subdivisions) throw new FieldErrors({ subdivisions: subdivisions.error });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("users")
      .set({ subdivision_codes: subdivisions ? subdivisions.join(",") : null })
      .where("id", "=", operator.id)
      .execute();
    await recordAuditEvent(trx, clock, {
      action: "operator.subdivisions_changed",
      actorId: meta.changedBy,
      subjectType: "user",
      subjectId: operator.id,
      ip: meta.ip,
      details: { before: operator.subdivision_codes?.split(",") ?? null, after: subdivisions },
    });
  });
  return { email: operator.email, subdivisions };
}
