// Accepting a representative's certificate: it must be an X.509 certificate of the qualified profile (the
// named checks of rules.server.ts), held by the account's owner, chained to an accredited CA with every
// signature verified and not revoked (trust.server.ts), and registered to no other account. The checks are
// pure or read-only; storage is one transaction, and nothing is written on refusal.
import { certificateValidAt } from "./validity";
import type { Db } from "../../db/index.server";
import { isUniqueViolation } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { personName, type PersonName } from "./holder";
import { KEY_ALGORITHM_NAMES, NotACertificateError, parseCertificate, type ParsedCertificate } from "./parse.server";
import { firstProfileRefusal, type ProfileRefusal } from "./rules.server";
import { caLabel, TrustRefused, verifyQualified, type ChainEntry, type TrustRefusal } from "./trust.server";
import { trustLostReason } from "./revocation.server";

export const CERTIFICATE_MAX_BYTES = 64 * 1024;

export type RefusalCode =
  "no-file" | "too-large" | "not-certificate" | ProfileRefusal | TrustRefusal | "already-yours" | "taken";

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

/** Parses the file and applies every rule that needs no trust list. Throws CertificateRefused. */
export function checkCertificate(bytes: Buffer, account: PersonName, now: Date): ParsedCertificate {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(bytes);
  } catch (error) {
    if (error instanceof NotACertificateError) throw new CertificateRefused("not-certificate", NOT_A_CERTIFICATE, 422);
    throw error;
  }
  const refusal = firstProfileRefusal({ cert, account, now });
  if (refusal) throw new CertificateRefused(refusal.name, refusal.message, 422);
  return cert;
}

/** The profile, then the chain to an accredited CA, signatures and revocation. Throws CertificateRefused. */
export async function checkQualifiedCertificate(
  db: Db,
  bytes: Buffer,
  account: PersonName,
  now: Date,
): Promise<{ cert: ParsedCertificate; chain: ChainEntry[] }> {
  const cert = checkCertificate(bytes, account, now);
  try {
    const verdict = await verifyQualified(db, cert, now);
    return { cert, chain: verdict.chain };
  } catch (error) {
    if (error instanceof TrustRefused) throw new CertificateRefused(error.code, error.message, error.status);
    throw error;
  }
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
  const { cert, chain } = await checkQualifiedCertificate(db, input.bytes, input.account, now);
  const existing = await db
    .selectFrom("certificates")
    .select(["id", "user_id", "status", "verified_at"])
    .where("sha1", "=", cert.sha1)
    .executeTakeFirst();
  // A certificate accepted before chains were checked is verified again in place when its owner uploads it.
  if (existing && existing.user_id === input.userId && existing.status === "current" && !existing.verified_at) {
    await db
      .updateTable("certificates")
      .set(trustColumns(cert, chain, now))
      .where("id", "=", existing.id)
      .execute();
    return { id: existing.id, sha1: cert.sha1, replacedSha1: null };
  }
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
          ...trustColumns(cert, chain, now),
          trust_notified_at: null,
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
          chain: chain.map((c) => c.sha1),
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

function trustColumns(cert: ParsedCertificate, chain: ChainEntry[], now: Date) {
  return {
    chain: JSON.stringify(chain),
    verified_at: now.toISOString(),
    issuer_hash: cert.issuerHash,
    crl_urls: JSON.stringify(cert.extensions.crlUrls),
    revoked_at: null,
    revocation_reason: null,
    distrusted_at: null,
    distrust_reason: null,
  };
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
  /** The chain it was accepted with, its issuer first; null for one accepted before chains were checked. */
  chain: Array<{ name: string; test: boolean }> | null;
  /** Why it no longer counts (revoked, its CA left the list); null while it does. */
  trustLost: string | null;
  /** The newest revocation list of its issuer the portal holds. */
  crl: { thisUpdate: string; nextUpdate: string | null } | null;
  /** Usable for reports: valid today, verified, not revoked, its CAs on the list. */
  qualified: boolean;
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
  const chain = row.chain
    ? (JSON.parse(row.chain) as ChainEntry[]).map((c) => ({ name: caLabel(c), test: c.test }))
    : null;
  const crl = row.issuer_hash
    ? await db
        .selectFrom("crls")
        .select(["this_update", "next_update"])
        .where("issuer_hash", "=", row.issuer_hash)
        .orderBy("this_update", "desc")
        .executeTakeFirst()
    : undefined;
  const trustLost = trustLostReason(row);
  const validNow = certificateValidAt({ notBefore: row.not_before, notAfter: row.not_after }, now);
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
    issuer: chain?.[0]?.name ?? row.issuer_cn ?? row.issuer,
    serial: row.serial,
    sha1: row.sha1,
    algorithm: KEY_ALGORITHM_NAMES[row.algorithm as keyof typeof KEY_ALGORITHM_NAMES] ?? row.algorithm,
    notBefore: row.not_before,
    notAfter: row.not_after,
    uploadedAt: row.uploaded_at,
    validNow,
    chain,
    trustLost,
    crl: crl ? { thisUpdate: crl.this_update, nextUpdate: crl.next_update } : null,
    qualified: validNow && chain !== null && trustLost === null,
  };
}
