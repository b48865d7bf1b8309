// Revocation: the CAs' revocation lists (CRL), read from files (`npm run trust:import -- list.crl`, the admin
// page) or fetched on a schedule from the distribution points the trust list and the accepted certificates
// name. A list is taken only when its signature verifies with the key of a CA on the trust list. After every
// change the representatives' current certificates are re-checked: one that is now revoked, or whose CA left
// the list, stops counting, its reports are refused, and its holder gets a letter.
import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { AuthorityKeyIdentifier, CRLReason, CRLReasons, CertificateList } from "@peculiar/asn1-x509";
import * as asn1js from "asn1js";
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { enqueueMail } from "../mail/outbox.server";
import { certificateTrustLostLetter } from "../mail/templates.server";
import { formatDate } from "../web/format";
import { crlSignedBy } from "./gost-openssl.server";
import { caLabel, revokedMessage, type ChainEntry } from "./trust.server";

export const CRL_MAX_BYTES = 64 * 1024 * 1024;

export interface ParsedCrl {
  der: Buffer;
  sha256: string;
  issuerHash: string;
  issuerName: string;
  authorityKeyId: string | null;
  number: string | null;
  thisUpdate: Date;
  nextUpdate: Date | null;
  entries: Array<{ serial: string; revokedAt: Date; reason: string | null }>;
}

export class CrlRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CrlRefused";
  }
}

const hex = (b: ArrayBuffer) => Buffer.from(new Uint8Array(b)).toString("hex").toUpperCase();
const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/;

/** The DER of a .crl file (DER or PEM), or null when the bytes are not a revocation list. */
export function crlDer(bytes: Buffer): Buffer | null {
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  const pem = bytes.toString("latin1").match(PEM_CRL);
  return pem ? Buffer.from(pem[1].replace(/\s+/g, ""), "base64") : null;
}

/** The CRL number as hex: it may be 20 bytes long, past what a JavaScript number holds. */
function crlNumber(der: ArrayBuffer): string | null {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1 || !(decoded.result instanceof asn1js.Integer)) return null;
  return hex(decoded.result.valueBlock.valueHexView.slice().buffer).slice(0, 100);
}

export function parseCrl(bytes: Buffer): ParsedCrl {
  const der = crlDer(bytes);
  if (!der) throw new CrlRefused("Файл не является списком отзыва сертификатов (CRL).");
  let list: CertificateList;
  try {
    list = AsnConvert.parse(der, CertificateList);
  } catch {
    throw new CrlRefused("Файл не является списком отзыва сертификатов (CRL) или повреждён.");
  }
  const tbs = list.tbsCertList;
  const issuerDer = Buffer.from(AsnConvert.serialize(tbs.issuer));
  const cn = tbs.issuer
    .flatMap((rdn) => [...rdn])
    .find((atv) => atv.type === "2.5.4.3")
    ?.value.toString();
  let number: string | null = null;
  let authorityKeyId: string | null = null;
  for (const ext of tbs.crlExtensions ?? []) {
    try {
      if (ext.extnID === "2.5.29.20") number = crlNumber(ext.extnValue.buffer);
      if (ext.extnID === "2.5.29.35") {
        const id = AsnConvert.parse(ext.extnValue.buffer, AuthorityKeyIdentifier).keyIdentifier;
        authorityKeyId = id ? hex(id.buffer) : null;
      }
    } catch {
      // an unreadable extension is not the entries
    }
  }
  const entries = (tbs.revokedCertificates ?? []).map((r) => {
    let reason: string | null = null;
    for (const ext of r.crlEntryExtensions ?? []) {
      if (ext.extnID !== "2.5.29.21") continue;
      try {
        reason = CRLReasons[AsnConvert.parse(ext.extnValue.buffer, CRLReason).reason] ?? null;
      } catch {
        reason = null;
      }
    }
    return { serial: hex(r.userCertificate), revokedAt: r.revocationDate.getTime(), reason };
  });
  return {
    der,
    sha256: crypto.createHash("sha256").update(der).digest("hex"),
    issuerHash: crypto.createHash("sha256").update(issuerDer).digest("hex"),
    issuerName: cn ?? "",
    authorityKeyId,
    number,
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate ? tbs.nextUpdate.getTime() : null,
    entries,
  };
}

export interface CrlImport {
  outcome: "added" | "kept";
  issuer: string;
  entries: number;
  thisUpdate: string;
  nextUpdate: string | null;
  /** Certificates of representatives that this list revoked. */
  revokedNow: number;
}

/** Verifies and records a revocation list; throws CrlRefused with the reason in Russian. */
export async function importCrl(
  db: Db,
  clock: Clock,
  bytes: Buffer,
  source: string,
  options: { appUrl: string; actorId?: number | null },
): Promise<CrlImport> {
  const crl = parseCrl(bytes);
  const summary = {
    issuer: crl.issuerName,
    entries: crl.entries.length,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString() ?? null,
  };
  const known = await db.selectFrom("crls").select("id").where("sha256", "=", crl.sha256).executeTakeFirst();
  if (known) return { outcome: "kept", ...summary, revokedNow: 0 };
  const issuers = await db
    .selectFrom("trusted_cas")
    .select(["id", "name", "test", "der", "subject_key_id"])
    .where("subject_hash", "=", crl.issuerHash)
    .execute();
  const candidates = crl.authorityKeyId
    ? issuers.filter((c) => !c.subject_key_id || c.subject_key_id === crl.authorityKeyId)
    : issuers;
  if (candidates.length === 0) {
    throw new CrlRefused(
      `Издателя списка отзыва «${crl.issuerName}» нет в списке УЦ портала: сначала загрузите сертификат этого УЦ.`,
    );
  }
  let signer: (typeof candidates)[number] | null = null;
  for (const c of candidates) {
    if (await crlSignedBy(crl.der, Buffer.from(c.der))) {
      signer = c;
      break;
    }
  }
  if (!signer) {
    throw new CrlRefused(
      `Подпись списка отзыва не подтверждается ключом УЦ «${caLabel(candidates[0])}»: список подделан или повреждён.`,
    );
  }
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("crls")
      .values({
        issuer_hash: crl.issuerHash,
        authority_key_id: crl.authorityKeyId,
        issuer_name: crl.issuerName.slice(0, 500),
        number: crl.number,
        this_update: summary.thisUpdate,
        next_update: summary.nextUpdate,
        entries: crl.entries.length,
        sha256: crl.sha256,
        source: source.slice(0, 2000),
        imported_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // A revocation is permanent: entries are added, never taken away by a later list.
    for (let i = 0; i < crl.entries.length; i += 500) {
      const batch = crl.entries.slice(i, i + 500).map((e) => ({
        issuer_hash: crl.issuerHash,
        serial: e.serial.slice(0, 128),
        revoked_at: e.revokedAt.toISOString(),
        reason: e.reason,
        crl_id: row.id,
      }));
      await trx
        .insertInto("revoked_serials")
        .values(batch)
        .onConflict((oc) => oc.columns(["issuer_hash", "serial"]).doNothing())
        .execute();
    }
    await recordAuditEvent(trx, clock, {
      action: "trust.crl-imported",
      actorId: options.actorId ?? null,
      subjectType: "crl",
      subjectId: row.id,
      details: { issuer: crl.issuerName, entries: crl.entries.length, source: source.slice(0, 300) },
    });
  });
  const revokedNow = await refreshCertificateTrust(db, clock, options.appUrl);
  return { outcome: "added", ...summary, revokedNow };
}

/**
 * Re-checks every current certificate against the revocation entries and the trust list: marks those now
 * revoked or whose chain holds a CA that left the list or was revoked, and writes to their holders once.
 * Returns how many certificates stopped counting in this run. Idempotent.
 */
export async function refreshCertificateTrust(db: Db, clock: Clock, appUrl: string): Promise<number> {
  const now = clock.now().toISOString();
  let changed = 0;
  const revoked = await db
    .selectFrom("certificates")
    .innerJoin("revoked_serials", (j) =>
      j
        .onRef("revoked_serials.issuer_hash", "=", "certificates.issuer_hash")
        .onRef("revoked_serials.serial", "=", "certificates.serial"),
    )
    .select(["certificates.id", "revoked_serials.revoked_at", "revoked_serials.reason"])
    .where("certificates.status", "=", "current")
    .where("certificates.revoked_at", "is", null)
    .where("revoked_serials.revoked_at", "<=", now)
    .execute();
  for (const r of revoked) {
    const res = await db
      .updateTable("certificates")
      .set({ revoked_at: r.revoked_at, revocation_reason: r.reason })
      .where("id", "=", r.id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    changed += Number(res.numUpdatedRows);
  }
  // CAs that no longer count: removed from the list, or revoked by the CA above them.
  const cas = await db
    .selectFrom("trusted_cas")
    .leftJoin("revoked_serials", (j) =>
      j
        .onRef("revoked_serials.issuer_hash", "=", "trusted_cas.issuer_hash")
        .onRef("revoked_serials.serial", "=", "trusted_cas.serial"),
    )
    .select([
      "trusted_cas.id",
      "trusted_cas.name",
      "trusted_cas.test",
      "trusted_cas.status",
      "trusted_cas.removed_at",
      "trusted_cas.self_signed",
      "revoked_serials.revoked_at",
      "revoked_serials.reason",
    ])
    .where((eb) =>
      eb.or([
        eb("trusted_cas.status", "=", "removed"),
        eb.and([eb("revoked_serials.revoked_at", "is not", null), eb("revoked_serials.revoked_at", "<=", now)]),
      ]),
    )
    .execute();
  const lost = new Map<number, string>();
  for (const ca of cas) {
    if (ca.status === "removed") {
      lost.set(
        ca.id,
        `удостоверяющий центр «${caLabel(ca)}» исключён из списка аккредитованных${ca.removed_at ? ` ${formatDate(ca.removed_at)}` : ""}.`,
      );
    } else if (ca.revoked_at && !ca.self_signed) {
      lost.set(ca.id, `сертификат удостоверяющего центра «${caLabel(ca)}» отозван ${formatDate(ca.revoked_at)}.`);
    }
  }
  // A CA back on the list gives its certificates back (unless something else still holds).
  let candidates = db
    .selectFrom("certificates")
    .select(["id", "chain", "distrusted_at"])
    .where("status", "=", "current")
    .where("chain", "is not", null);
  // With no CA lost, only the certificates marked before can change (back).
  if (lost.size === 0) candidates = candidates.where("distrusted_at", "is not", null);
  for (const c of await candidates.execute()) {
    const chain = JSON.parse(c.chain ?? "[]") as ChainEntry[];
    const reason = chain.map((l) => lost.get(l.id)).find(Boolean) ?? null;
    if (reason && !c.distrusted_at) {
      await db
        .updateTable("certificates")
        .set({ distrusted_at: now, distrust_reason: reason.slice(0, 1000) })
        .where("id", "=", c.id)
        .execute();
      changed++;
    } else if (!reason && c.distrusted_at) {
      await db
        .updateTable("certificates")
        .set({ distrusted_at: null, distrust_reason: null, trust_notified_at: null })
        .where("id", "=", c.id)
        .execute();
    }
  }
  await notifyTrustLost(db, clock, appUrl);
  return changed;
}

/** Why a current certificate no longer counts, in words; null when it does. */
export function trustLostReason(c: {
  revoked_at: string | null;
  revocation_reason: string | null;
  distrust_reason: string | null;
}): string | null {
  if (c.revoked_at)
    return revokedMessage(c.revoked_at, c.revocation_reason).replace(/ Загрузите действующий сертификат\.$/, "");
  return c.distrust_reason;
}

async function notifyTrustLost(db: Db, clock: Clock, appUrl: string): Promise<void> {
  const now = clock.now().toISOString();
  const due = await db
    .selectFrom("certificates")
    .innerJoin("users", "users.id", "certificates.user_id")
    .select([
      "certificates.id",
      "certificates.user_id",
      "certificates.sha1",
      "certificates.revoked_at",
      "certificates.revocation_reason",
      "certificates.distrust_reason",
      "users.email",
      "users.given_name",
      "users.patronymic",
    ])
    .where("certificates.status", "=", "current")
    .where("certificates.trust_notified_at", "is", null)
    .where((eb) =>
      eb.or([eb("certificates.revoked_at", "is not", null), eb("certificates.distrusted_at", "is not", null)]),
    )
    .execute();
  for (const c of due) {
    await db.transaction().execute(async (trx) => {
      const claim = await trx
        .updateTable("certificates")
        .set({ trust_notified_at: now })
        .where("id", "=", c.id)
        .where("trust_notified_at", "is", null)
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) return;
      const reason = trustLostReason(c) ?? "";
      await enqueueMail(trx, clock, {
        recipient: c.email,
        purpose: "certificate-trust-lost",
        userId: c.user_id,
        ...certificateTrustLostLetter({
          givenName: c.given_name,
          patronymic: c.patronymic,
          thumbprint: c.sha1,
          reason,
          link: `${appUrl}/profile/representative`,
        }),
      });
      await recordAuditEvent(trx, clock, {
        action: "certificate.trust-lost",
        actorId: null,
        subjectType: "certificate",
        subjectId: c.id,
        details: { sha1: c.sha1, reason },
      });
    });
  }
}

export interface FetchOptions {
  appUrl: string;
  /** How often each distribution point is read. */
  intervalMs: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The distribution points to read: those the trust list names and those of accepted certificates. */
async function distributionPoints(db: Db): Promise<string[]> {
  const urls = new Set<string>();
  const cas = await db.selectFrom("trusted_cas").select("crl_urls").where("status", "=", "active").execute();
  const certs = await db
    .selectFrom("certificates")
    .select("crl_urls")
    .where("status", "=", "current")
    .where("crl_urls", "is not", null)
    .execute();
  for (const row of [...cas, ...certs]) {
    for (const url of JSON.parse(row.crl_urls ?? "[]") as string[]) {
      if (/^https?:\/\//i.test(url) && url.length <= 2000) urls.add(url);
    }
  }
  return [...urls];
}

async function download(url: string, options: FetchOptions): Promise<Buffer> {
  const res = await (options.fetch ?? fetch)(url, {
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    redirect: "follow",
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const length = Number(res.headers.get("content-length") ?? "0");
  if (length > CRL_MAX_BYTES) throw new Error(`the list is larger than ${CRL_MAX_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > CRL_MAX_BYTES) {
      await reader.cancel();
      throw new Error(`the list is larger than ${CRL_MAX_BYTES} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * Reads every distribution point not read within the interval, records success or the error per address,
 * and imports what verifies. Machines without network just record the errors (and take .crl files instead).
 */
export async function fetchDueCrls(
  db: Db,
  clock: Clock,
  options: FetchOptions,
): Promise<{ fetched: number; added: number; failed: number }> {
  const now = clock.now();
  const dueBefore = new Date(now.getTime() - options.intervalMs).toISOString();
  let fetched = 0;
  let added = 0;
  let failed = 0;
  for (const url of await distributionPoints(db)) {
    const state = await db.selectFrom("crl_sources").selectAll().where("url", "=", url).executeTakeFirst();
    if (state?.last_attempt_at && state.last_attempt_at > dueBefore) continue;
    const attempt = now.toISOString();
    if (state) await db.updateTable("crl_sources").set({ last_attempt_at: attempt }).where("url", "=", url).execute();
    else
      await db
        .insertInto("crl_sources")
        .values({ url, last_attempt_at: attempt, last_success_at: null, last_error: null })
        .onConflict((oc) => oc.column("url").doUpdateSet({ last_attempt_at: attempt }))
        .execute();
    try {
      const bytes = await download(url, options);
      fetched++;
      const result = await importCrl(db, clock, bytes, url, { appUrl: options.appUrl });
      if (result.outcome === "added") added++;
      await db
        .updateTable("crl_sources")
        .set({ last_success_at: attempt, last_error: null })
        .where("url", "=", url)
        .execute();
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      await db
        .updateTable("crl_sources")
        .set({ last_error: message.slice(0, 1000) })
        .where("url", "=", url)
        .execute();
    }
  }
  return { fetched, added, failed };
}
