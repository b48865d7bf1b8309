// «Qualified» means chained to an accredited CA: the chain is built from the trust list (trusted_cas), every
// signature in it is verified by OpenSSL with the GOST engine, every CA in it is valid today and still on the
// list, and neither the certificate nor a CA above it is on a revocation list. Each failure is a refusal of
// its own, with its code, HTTP status and Russian message.
import type { Db } from "../../db/index.server";
import type { TrustedCasTable } from "../../db/schema";
import { formatDate } from "../web/format";
import { GostUnavailable, verifyChainSignatures } from "./gost-openssl.server";
import { parseCertificate, type ParsedCertificate } from "./parse.server";

export type TrustRefusal =
  "not-accredited" | "chain-broken" | "signature-invalid" | "ca-expired" | "revoked" | "verification-unavailable";

export class TrustRefused extends Error {
  constructor(
    readonly code: TrustRefusal,
    message: string,
    readonly status: number = 422,
  ) {
    super(message);
    this.name = "TrustRefused";
  }
}

export type TrustedCa = Pick<
  TrustedCasTable,
  | "sha1"
  | "subject_hash"
  | "issuer_hash"
  | "subject_key_id"
  | "authority_key_id"
  | "serial"
  | "name"
  | "self_signed"
  | "not_before"
  | "not_after"
  | "der"
  | "status"
  | "removed_reason"
  | "removed_at"
  | "test"
> & { id: number };

/** A certificate as the chain builder sees it: whose name signed it, and with which key. */
export interface ChainMember {
  issuerHash: string;
  authorityKeyId: string | null;
  issuerName: string;
}

export type IssuerFinder = (issuerHash: string) => Promise<TrustedCa[]>;

export type ChainResult =
  { kind: "built"; links: TrustedCa[] } | { kind: "issuer-missing"; missing: string; below: TrustedCa[] };

const MAX_DEPTH = 8;

function memberOf(ca: TrustedCa): ChainMember {
  const parsed = parseCertificate(Buffer.from(ca.der));
  return {
    issuerHash: ca.issuer_hash,
    authorityKeyId: ca.authority_key_id,
    issuerName: parsed.issuerCommonName ?? parsed.issuer,
  };
}

/** Candidates in the order to try: the key the certificate names, on the list, valid now, the newest. */
function rank(candidates: TrustedCa[], member: ChainMember, nowIso: string): TrustedCa[] {
  const byKey = member.authorityKeyId
    ? candidates.filter((c) => !c.subject_key_id || c.subject_key_id === member.authorityKeyId)
    : candidates;
  const score = (c: TrustedCa) =>
    (c.status === "active" ? 4 : 0) + (c.not_before <= nowIso && nowIso <= c.not_after ? 2 : 0);
  return [...byKey].sort((a, b) => score(b) - score(a) || (a.not_after < b.not_after ? 1 : -1));
}

/**
 * Builds the chain from the certificate's issuer up to a self-signed root of the trust list. Tries every
 * candidate (renewed CA certificates share a name) and returns the first whole chain, or how far it got.
 */
export async function buildChain(member: ChainMember, findIssuers: IssuerFinder, now: Date): Promise<ChainResult> {
  const nowIso = now.toISOString();
  let deepest: { missing: string; below: TrustedCa[] } = { missing: member.issuerName, below: [] };
  async function walk(m: ChainMember, below: TrustedCa[]): Promise<TrustedCa[] | null> {
    if (below.length >= MAX_DEPTH) return null;
    const candidates = rank(await findIssuers(m.issuerHash), m, nowIso).filter(
      (c) => !below.some((b) => b.sha1 === c.sha1),
    );
    if (candidates.length === 0) {
      if (below.length >= deepest.below.length) deepest = { missing: m.issuerName, below };
      return null;
    }
    for (const ca of candidates) {
      const links = [...below, ca];
      if (ca.self_signed) return links;
      const found = await walk(memberOf(ca), links);
      if (found) return found;
    }
    return null;
  }
  const links = await walk(member, []);
  return links ? { kind: "built", links } : { kind: "issuer-missing", ...deepest };
}

export function trustedIssuerFinder(db: Db): IssuerFinder {
  return (issuerHash) =>
    db
      .selectFrom("trusted_cas")
      .select([
        "id",
        "sha1",
        "subject_hash",
        "issuer_hash",
        "subject_key_id",
        "authority_key_id",
        "serial",
        "name",
        "self_signed",
        "not_before",
        "not_after",
        "der",
        "status",
        "removed_reason",
        "removed_at",
        "test",
      ])
      .where("subject_hash", "=", issuerHash)
      .execute();
}

/** The CA's name as people see it: a test CA says so. */
export function caLabel(ca: { name: string; test: number | boolean }): string {
  return ca.test ? `${ca.name} (тестовый УЦ)` : ca.name;
}

export interface ChainEntry {
  id: number;
  sha1: string;
  name: string;
  test: boolean;
}

export interface QualifiedVerdict {
  chain: ChainEntry[];
}

async function revocationOf(
  db: Db,
  issuerHash: string,
  serial: string,
  nowIso: string,
): Promise<{ revoked_at: string; reason: string | null } | undefined> {
  return db
    .selectFrom("revoked_serials")
    .select(["revoked_at", "reason"])
    .where("issuer_hash", "=", issuerHash)
    .where("serial", "=", serial)
    .where("revoked_at", "<=", nowIso)
    .executeTakeFirst();
}

export const REVOCATION_REASONS: Record<string, string> = {
  keyCompromise: "компрометация ключа",
  cACompromise: "компрометация ключа УЦ",
  affiliationChanged: "изменились сведения о владельце",
  superseded: "сертификат заменён",
  cessationOfOperation: "прекращение действия",
  certificateHold: "действие приостановлено",
  privilegeWithdrawn: "отзыв полномочий",
};

export function revokedMessage(at: string, reason: string | null, whose = "Сертификат"): string {
  const why = reason && REVOCATION_REASONS[reason] ? ` (причина: ${REVOCATION_REASONS[reason]})` : "";
  return `${whose} отозван удостоверяющим центром ${formatDate(at)}${why}. Загрузите действующий сертификат.`;
}

/** OpenSSL's verdict about the link at `depth` (0 = the certificate itself), in words. */
function signatureRefusal(code: number, depth: number, links: TrustedCa[], text: string): TrustRefused {
  const signer = links[depth] ?? links[links.length - 1];
  const signed = depth === 0 ? "Подпись сертификата" : `Подпись сертификата УЦ «${caLabel(links[depth - 1])}»`;
  switch (code) {
    case 7: // X509_V_ERR_CERT_SIGNATURE_FAILURE
    case 6: // X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY
      return new TrustRefused(
        "signature-invalid",
        `${signed} не подтверждается ключом удостоверяющего центра «${caLabel(signer)}»: сертификат подделан или повреждён. Загрузите сертификат, полученный в удостоверяющем центре.`,
      );
    case 24: // X509_V_ERR_INVALID_CA
    case 32: // X509_V_ERR_KEYUSAGE_NO_CERTSIGN
      return new TrustRefused(
        "chain-broken",
        `Цепочку построить не удалось: сертификат «${caLabel(signer)}» не даёт права выдавать сертификаты.`,
      );
    case 25: // X509_V_ERR_PATH_LENGTH_EXCEEDED
      return new TrustRefused(
        "chain-broken",
        `Цепочку построить не удалось: удостоверяющий центр «${caLabel(signer)}» не вправе выдавать сертификаты через промежуточный УЦ.`,
      );
    default:
      return new TrustRefused(
        "chain-broken",
        `Цепочку до аккредитованного удостоверяющего центра проверить не удалось (${text || `ошибка ${code}`}).`,
      );
  }
}

/**
 * Checks that the certificate chains to an accredited CA of the trust list and is not revoked. Throws
 * TrustRefused; returns the chain (issuer first, root last) to keep with the certificate.
 */
export async function verifyQualified(db: Db, cert: ParsedCertificate, now: Date): Promise<QualifiedVerdict> {
  const issuer = cert.issuerCommonName ?? cert.issuer;
  if (cert.selfIssued) {
    throw new TrustRefused(
      "not-accredited",
      `Сертификат самоподписанный: его выдал не удостоверяющий центр, а сам владелец («${issuer}»). Квалифицированный сертификат выдаёт аккредитованный удостоверяющий центр.`,
    );
  }
  const built = await buildChain(
    { issuerHash: cert.issuerHash, authorityKeyId: cert.extensions.authorityKeyId, issuerName: issuer },
    trustedIssuerFinder(db),
    now,
  );
  if (built.kind === "issuer-missing") {
    const message =
      built.below.length === 0
        ? `Цепочку построить не удалось: удостоверяющего центра «${issuer}», выдавшего сертификат, нет в списке аккредитованных УЦ портала. Сертификат выдан не аккредитованным УЦ (например, тестовым) или список УЦ портала устарел — в этом случае обратитесь к администратору.`
        : `Цепочку построить не удалось: нет сертификата «${built.missing}», которым подписан сертификат УЦ «${caLabel(built.below[built.below.length - 1])}». Обратитесь к администратору портала: список УЦ нужно дополнить.`;
    throw new TrustRefused("chain-broken", message);
  }
  const links = built.links;
  const removed = links.find((l) => l.status === "removed");
  if (removed) {
    throw new TrustRefused(
      "not-accredited",
      `Удостоверяющий центр «${caLabel(removed)}» исключён из списка аккредитованных${removed.removed_at ? ` ${formatDate(removed.removed_at)}` : ""}${removed.removed_reason ? ` (${removed.removed_reason})` : ""}: выданные им сертификаты не принимаются. Получите сертификат в аккредитованном УЦ.`,
    );
  }
  let result;
  try {
    result = await verifyChainSignatures([cert.der, ...links.map((l) => Buffer.from(l.der))]);
  } catch (error) {
    if (error instanceof GostUnavailable) {
      throw new TrustRefused(
        "verification-unavailable",
        "Проверить подпись сертификата сейчас невозможно: на сервере портала не установлены средства ГОСТ. Попробуйте позже; администратор уже видит эту ошибку в журнале.",
        503,
      );
    }
    throw error;
  }
  if (!result.ok) throw signatureRefusal(result.code, result.depth, links, result.text);
  const nowIso = now.toISOString();
  for (const l of links) {
    if (nowIso < l.not_before || nowIso > l.not_after) {
      throw new TrustRefused(
        "ca-expired",
        nowIso > l.not_after
          ? `Срок действия сертификата удостоверяющего центра «${caLabel(l)}» истёк ${formatDate(l.not_after)}: выданные по нему сертификаты больше не действуют. Получите новый сертификат.`
          : `Сертификат удостоверяющего центра «${caLabel(l)}» начинает действовать только ${formatDate(l.not_before)}.`,
      );
    }
  }
  const own = await revocationOf(db, cert.issuerHash, cert.serial, nowIso);
  if (own) throw new TrustRefused("revoked", revokedMessage(own.revoked_at, own.reason));
  for (const l of links) {
    if (l.self_signed) continue;
    const r = await revocationOf(db, l.issuer_hash, l.serial, nowIso);
    if (r) {
      throw new TrustRefused(
        "revoked",
        revokedMessage(r.revoked_at, r.reason, `Сертификат удостоверяющего центра «${caLabel(l)}»`).replace(
          "Загрузите действующий сертификат.",
          "Выданные по нему сертификаты не принимаются.",
        ),
      );
    }
  }
  return { chain: links.map((l) => ({ id: l.id, sha1: l.sha1, name: l.name, test: Boolean(l.test) })) };
}
