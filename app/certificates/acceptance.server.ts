// The fund's rules for a representative's certificate, and keeping the accepted one: it must be an
// X.509 certificate, valid now, with a ГОСТ Р 34.10-2012 key, held by the account's owner, and
// registered to no other account. The rules are pure (clock passed in); storage is one transaction.
import { certificateValidAt } from "./validity";
import type { Db } from "../../db/index.server";
import { isUniqueViolation } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { formatDate } from "../web/format";
import { holderNameMatches, personName, type PersonName } from "./holder";
import { KEY_ALGORITHM_NAMES, NotACertificateError, parseCertificate, type ParsedCertificate } from "./parse.server";

export const CERTIFICATE_MAX_BYTES = 64 * 1024;

export type RefusalCode =
  | "no-file"
  | "too-large"
  | "not-certificate"
  | "expired"
  | "not-yet-valid"
  | "not-gost"
  | "holder-mismatch"
  | "already-yours"
  | "taken";

export class CertificateRefused extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "CertificateRefused";
  }
}

export const NOT_A_CERTIFICATE =
  "Файл не является сертификатом X.509. Выберите файл сертификата (.cer) в кодировке DER или Base64 — его можно выгрузить из КриптоПро CSP или получить в удостоверяющем центре.";

export function refuseMissingFile(): CertificateRefused {
  return new CertificateRefused("no-file", "Выберите файл сертификата (.cer).", 422);
}

export function refuseTooLarge(): CertificateRefused {
  return new CertificateRefused("too-large", "Файл больше 64 КБ — это не файл сертификата. Выберите файл .cer.", 413);
}

/** Parses the file and applies every rule that needs no database. Throws CertificateRefused. */
export function checkCertificate(bytes: Buffer, account: PersonName, now: Date): ParsedCertificate {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(bytes);
  } catch (error) {
    if (error instanceof NotACertificateError) throw new CertificateRefused("not-certificate", NOT_A_CERTIFICATE, 422);
    throw error;
  }
  const term = `с ${formatDate(cert.notBefore)} по ${formatDate(cert.notAfter)}`;
  if (now < cert.notBefore) {
    throw new CertificateRefused(
      "not-yet-valid",
      `Сертификат ещё не действует: срок его действия ${term}. Загрузите его, когда срок начнётся.`,
      422,
    );
  }
  if (now > cert.notAfter) {
    throw new CertificateRefused(
      "expired",
      `Срок действия сертификата истёк: он действовал ${term}. Загрузите действующий сертификат.`,
      422,
    );
  }
  if (cert.keyAlgorithm !== "gost2012-256" && cert.keyAlgorithm !== "gost2012-512") {
    throw new CertificateRefused(
      "not-gost",
      `Ключ сертификата — ${KEY_ALGORITHM_NAMES[cert.keyAlgorithm]}, а не ГОСТ Р 34.10-2012. Такой сертификат не является квалифицированным сертификатом для СЭДО.`,
      422,
    );
  }
  if (!cert.holder || !holderNameMatches(cert.holder, account)) {
    const holder = cert.holder ? personName(cert.holder) : "не указан";
    throw new CertificateRefused(
      "holder-mismatch",
      `Владелец сертификата (${holder}) не совпадает с владельцем учётной записи (${personName(account)}). Загрузите свой сертификат.`,
      422,
    );
  }
  return cert;
}

export interface StoredCertificate {
  id: number;
  sha1: string;
  replacedSha1: string | null;
}

/**
 * Checks the file against the rules and the registry of certificates, and makes it the user's
 * current certificate; the previous one is kept as «replaced». Nothing is written on refusal.
 */
export async function acceptCertificate(
  db: Db,
  clock: Clock,
  input: { userId: number; account: PersonName; bytes: Buffer; ip: string | null },
): Promise<StoredCertificate> {
  const now = clock.now();
  const cert = checkCertificate(input.bytes, input.account, now);
  const existing = await db
    .selectFrom("certificates")
    .select(["user_id", "status"])
    .where("sha1", "=", cert.sha1)
    .executeTakeFirst();
  if (existing) throw refusalForExisting(existing.user_id === input.userId);
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("certificates")
        .select(["id", "sha1"])
        .where("user_id", "=", input.userId)
        .where("status", "=", "current")
        .executeTakeFirst();
      if (current) {
        await trx
          .updateTable("certificates")
          .set({ status: "replaced", replaced_at: now.toISOString() })
          .where("id", "=", current.id)
          .execute();
      }
      const { der, holder, subject } = cert;
      const row = await trx
        .insertInto("certificates")
        .values({
          user_id: input.userId,
          sha1: cert.sha1,
          sha256: cert.sha256,
          serial: cert.serial,
          issuer: cert.issuer,
          issuer_cn: cert.issuerCommonName,
          holder_surname: holder!.surname,
          holder_given_name: holder!.givenName,
          holder_patronymic: holder!.patronymic,
          subject: JSON.stringify(subject),
          snils: subject.snils ?? null,
          inn: subject.inn ?? null,
          not_before: cert.notBefore.toISOString(),
          not_after: cert.notAfter.toISOString(),
          algorithm: cert.keyAlgorithm,
          der,
          status: "current",
          uploaded_at: now.toISOString(),
          replaced_at: null,
          reminded_30_at: null,
          reminded_7_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAuditEvent(trx, clock, {
        action: current ? "certificate.replaced" : "certificate.accepted",
        actorId: input.userId,
        subjectType: "certificate",
        subjectId: row.id,
        ip: input.ip,
        details: {
          sha1: cert.sha1,
          serial: cert.serial,
          notAfter: cert.notAfter.toISOString(),
          replaced: current?.sha1 ?? null,
        },
      });
      return { id: row.id, sha1: cert.sha1, replacedSha1: current?.sha1 ?? null };
    });
  } catch (error) {
    // The same certificate uploaded by two accounts at once: the unique thumbprint decides.
    if (isUniqueViolation(error)) throw refusalForExisting(false);
    throw error;
  }
}

function refusalForExisting(ownedByThisUser: boolean): CertificateRefused {
  return ownedByThisUser
    ? new CertificateRefused("already-yours", "Этот сертификат уже загружен в вашу учётную запись.", 409)
    : new CertificateRefused(
        "taken",
        "Этот сертификат уже зарегистрирован другим пользователем портала. Сертификат может принадлежать только одной учётной записи; если это ваш сертификат, обратитесь в поддержку.",
        409,
      );
}

export async function recordRefusal(
  db: Db,
  clock: Clock,
  userId: number,
  code: RefusalCode,
  ip: string | null,
): Promise<void> {
  await recordAuditEvent(db, clock, {
    action: "certificate.refused",
    actorId: userId,
    subjectType: "user",
    subjectId: userId,
    ip,
    details: { code },
  });
}

export interface CertificateView {
  holder: string;
  snils: string | null;
  inn: string | null;
  organization: string | null;
  title: string | null;
  email: string | null;
  ogrn: string | null;
  ogrnip: string | null;
  innle: string | null;
  issuer: string;
  serial: string;
  sha1: string;
  algorithm: string;
  notBefore: string;
  notAfter: string;
  uploadedAt: string;
  validNow: boolean;
}

export async function currentCertificate(db: Db, clock: Clock, userId: number): Promise<CertificateView | null> {
  const row = await db
    .selectFrom("certificates")
    .selectAll()
    .where("user_id", "=", userId)
    .where("status", "=", "current")
    .executeTakeFirst();
  if (!row) return null;
  const subject = JSON.parse(row.subject) as Record<string, string | undefined>;
  const now = clock.now().toISOString();
  return {
    holder: personName({
      surname: row.holder_surname,
      givenName: row.holder_given_name,
      patronymic: row.holder_patronymic,
    }),
    snils: row.snils,
    inn: row.inn,
    organization: subject.organization ?? null,
    title: subject.title ?? null,
    email: subject.email ?? null,
    ogrn: subject.ogrn ?? null,
    ogrnip: subject.ogrnip ?? null,
    innle: subject.innle ?? null,
    issuer: row.issuer_cn ?? row.issuer,
    serial: row.serial,
    sha1: row.sha1,
    algorithm: KEY_ALGORITHM_NAMES[row.algorithm as keyof typeof KEY_ALGORITHM_NAMES] ?? row.algorithm,
    notBefore: row.not_before,
    notAfter: row.not_after,
    uploadedAt: row.uploaded_at,
    validNow: certificateValidAt({ notBefore: row.not_before, notAfter: row.not_after }, now),
  };
}
