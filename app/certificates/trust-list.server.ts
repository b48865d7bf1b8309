// The trust list: the accredited CAs' certificates the portal trusts. It is loaded from the Минцифры list of
// accredited CAs (the XML «АккредитованныеУдостоверяющиеЦентры», read as a stream) and from plain CA
// certificates (.cer/.pem, DER or Base64, one or several in a file); .crl files given alongside go to the
// revocation lists. A CA whose accreditation is not «Действует», or that a newer list no longer carries, is
// kept as «removed»: its certificates stop counting. Used by `npm run trust:import` and by the admin page.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { SaxesParser } from "saxes";
import type { Db, DbOrTx } from "../../db/index.server";
import type { TrustSource } from "../../db/schema";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { formatDate } from "../web/format";
import { NotACertificateError, parseCertificate, type ParsedCertificate } from "./parse.server";
import { CrlRefused, crlDer, importCrl, refreshCertificateTrust } from "./revocation.server";
import { caLabel } from "./trust.server";
import { OUTCOME_WORDS, type LineOutcome } from "./trust-words";

export { OUTCOME_WORDS, TRUST_FILE_MAX_BYTES, TRUST_UPLOAD_MAX_FILES, type LineOutcome } from "./trust-words";

export interface TslCertificate {
  base64: string;
  thumbprint: string;
}

export interface TslCa {
  name: string;
  shortName: string;
  inn: string;
  ogrn: string;
  status: string;
  crlUrls: string[];
  certificates: TslCertificate[];
}

export interface Tsl {
  version: number | null;
  date: string | null;
  cas: TslCa[];
}

export class TrustFileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrustFileRefused";
  }
}

const TSL_ROOT = "АккредитованныеУдостоверяющиеЦентры";

/** Reads the Минцифры list as a stream: no DTD, no entities, nothing kept but what the portal uses. */
export function parseTsl(bytes: Buffer): Tsl {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes).replace(/^\uFEFF/, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(text.slice(0, 4096))) {
    throw new TrustFileRefused("Список УЦ содержит объявление DOCTYPE/ENTITY — такие файлы не принимаются.");
  }
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  const tsl: Tsl = { version: null, date: null, cas: [] };
  let ca: TslCa | null = null;
  let cert: TslCertificate | null = null;
  let keyUrls: string[] = [];
  let textBuf = "";
  let error: string | null = null;
  parser.on("opentag", (tag) => {
    stack.push(tag.name);
    textBuf = "";
    if (stack.length === 1 && tag.name !== TSL_ROOT) {
      error = `это не список аккредитованных УЦ: корневой элемент «${tag.name}», ожидается «${TSL_ROOT}»`;
    }
    if (stack.length === 2 && tag.name === "УдостоверяющийЦентр") {
      ca = { name: "", shortName: "", inn: "", ogrn: "", status: "", crlUrls: [], certificates: [] };
    }
    if (tag.name === "Ключ") keyUrls = [];
    if (tag.name === "ДанныеСертификата") cert = { base64: "", thumbprint: "" };
  });
  parser.on("text", (t) => {
    textBuf += t;
  });
  parser.on("closetag", (tag) => {
    const value = textBuf.trim();
    const parent = stack[stack.length - 2];
    if (stack.length === 2 && tag.name === "Версия") tsl.version = Number(value) || null;
    if (stack.length === 2 && tag.name === "Дата") tsl.date = value || null;
    if (ca && stack.length === 3) {
      if (tag.name === "Название") ca.name = value;
      if (tag.name === "КраткоеНазвание") ca.shortName = value;
      if (tag.name === "ИНН") ca.inn = value;
      if (tag.name === "ОГРН") ca.ogrn = value;
    }
    if (ca && tag.name === "Статус" && parent === "СтатусАккредитации" && stack.length === 4) ca.status = value;
    if (ca && tag.name === "Адрес" && parent === "АдресаСписковОтзыва") {
      keyUrls.push(value);
      if (!ca.crlUrls.includes(value)) ca.crlUrls.push(value);
    }
    if (cert && parent === "ДанныеСертификата") {
      if (tag.name === "Данные") cert.base64 = value;
      if (tag.name === "Отпечаток") cert.thumbprint = value.replace(/\s+/g, "").toUpperCase();
    }
    if (ca && cert && tag.name === "ДанныеСертификата") {
      ca.certificates.push(cert);
      cert = null;
    }
    if (ca && tag.name === "УдостоверяющийЦентр" && stack.length === 2) {
      tsl.cas.push(ca);
      ca = null;
    }
    stack.pop();
    textBuf = "";
  });
  parser.on("error", (e) => {
    error ??= `файл повреждён (${e.message.split("\n")[0].slice(0, 200)})`;
  });
  const CHUNK = 256 * 1024;
  for (let i = 0; i < text.length && !error; i += CHUNK) parser.write(text.slice(i, i + CHUNK));
  if (!error) parser.close();
  if (error) throw new TrustFileRefused(`Список УЦ не прочитан: ${error}.`);
  if (tsl.cas.length === 0) throw new TrustFileRefused("В списке УЦ нет ни одного удостоверяющего центра.");
  return tsl;
}

export type TrustFileKind = "tsl" | "certificates" | "crl";

const PEM_CERT = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** What a file is: the XML list, one or several certificates, or a revocation list. */
export function classifyTrustFile(
  bytes: Buffer,
): { kind: "tsl" } | { kind: "crl" } | { kind: "certificates"; ders: Buffer[] } {
  const head = bytes
    .subarray(0, 512)
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  if (head.startsWith("<")) return { kind: "tsl" };
  if (head.includes("-----BEGIN X509 CRL-----")) return { kind: "crl" };
  const text = bytes.toString("latin1");
  const pems = [...text.matchAll(PEM_CERT)].map((m) => Buffer.from(m[1].replace(/\s+/g, ""), "base64"));
  if (pems.length) return { kind: "certificates", ders: pems };
  if (bytes[0] === 0x30) {
    try {
      parseCertificate(bytes);
      return { kind: "certificates", ders: [bytes] };
    } catch {
      const der = crlDer(bytes);
      if (der) return { kind: "crl" };
    }
  }
  // Base64 without the PEM lines, as some CAs publish .cer files.
  return { kind: "certificates", ders: [bytes] };
}

export interface ImportLine {
  file: string;
  outcome: LineOutcome;
  what: string;
  reason?: string;
}

export interface ImportReport {
  lines: ImportLine[];
  counts: Record<LineOutcome, number>;
}

interface CaMeta {
  source: TrustSource;
  sourceName: string;
  organization: string | null;
  crlUrls: string[];
  active: boolean;
  removedReason: string | null;
  test: boolean;
}

/** Adds or updates one CA certificate; returns what happened to it. */
async function upsertCa(db: DbOrTx, clock: Clock, cert: ParsedCertificate, meta: CaMeta): Promise<LineOutcome> {
  const now = clock.now().toISOString();
  const existing = await db
    .selectFrom("trusted_cas")
    .select(["id", "status", "source", "crl_urls", "organization"])
    .where("sha1", "=", cert.sha1)
    .executeTakeFirst();
  const crlUrls = [...new Set([...meta.crlUrls, ...cert.extensions.crlUrls])];
  if (!existing) {
    await db
      .insertInto("trusted_cas")
      .values({
        sha1: cert.sha1,
        sha256: cert.sha256,
        subject_hash: cert.subjectHash,
        issuer_hash: cert.issuerHash,
        subject_key_id: cert.extensions.subjectKeyId,
        authority_key_id: cert.extensions.authorityKeyId,
        serial: cert.serial.slice(0, 128),
        name: (cert.subjectCommonName ?? cert.subjectName).slice(0, 500),
        subject: cert.subjectName.slice(0, 2000),
        organization: meta.organization?.slice(0, 1000) ?? null,
        self_signed: cert.selfIssued ? 1 : 0,
        not_before: cert.notBefore.toISOString(),
        not_after: cert.notAfter.toISOString(),
        algorithm: cert.keyAlgorithm,
        der: cert.der,
        crl_urls: JSON.stringify(crlUrls),
        source: meta.source,
        source_name: meta.sourceName.slice(0, 500),
        test: meta.test ? 1 : 0,
        status: meta.active ? "active" : "removed",
        removed_reason: meta.active ? null : (meta.removedReason?.slice(0, 500) ?? null),
        added_at: now,
        updated_at: now,
        removed_at: meta.active ? null : now,
      })
      .execute();
    return meta.active ? "added" : "removed";
  }
  const mergedUrls = [...new Set([...(JSON.parse(existing.crl_urls) as string[]), ...crlUrls])];
  const becomes = meta.active ? "active" : "removed";
  await db
    .updateTable("trusted_cas")
    .set({
      source: meta.source,
      source_name: meta.sourceName.slice(0, 500),
      organization: meta.organization?.slice(0, 1000) ?? existing.organization,
      crl_urls: JSON.stringify(mergedUrls),
      status: becomes,
      removed_reason: meta.active ? null : (meta.removedReason?.slice(0, 500) ?? null),
      removed_at: meta.active ? null : existing.status === "removed" ? undefined : now,
      updated_at: now,
      ...(meta.test ? { test: 1 } : {}),
    })
    .where("id", "=", existing.id)
    .execute();
  if (existing.status === becomes) return "kept";
  return meta.active ? "restored" : "removed";
}

function describe(cert: ParsedCertificate): string {
  return `${cert.subjectCommonName ?? cert.subjectName} (действует с ${formatDate(cert.notBefore)} по ${formatDate(cert.notAfter)}, SHA-1 ${cert.sha1})`;
}

function parseCa(der: Buffer): ParsedCertificate {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(der);
  } catch (error) {
    if (error instanceof NotACertificateError) throw new TrustFileRefused("не сертификат X.509");
    throw error;
  }
  if (!cert.extensions.ca) {
    throw new TrustFileRefused(
      `«${cert.subjectCommonName ?? cert.subjectName}» — не сертификат удостоверяющего центра (нет признака CA в basicConstraints)`,
    );
  }
  return cert;
}

async function importTsl(
  db: DbOrTx,
  clock: Clock,
  file: string,
  bytes: Buffer,
  actorId: number | null,
  lines: ImportLine[],
): Promise<void> {
  const tsl = parseTsl(bytes);
  const last = await db
    .selectFrom("trust_imports")
    .select(["version"])
    .where("kind", "=", "tsl")
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (tsl.version !== null && last?.version && tsl.version < last.version) {
    throw new TrustFileRefused(
      `это версия ${tsl.version} списка УЦ, а загружена уже более новая версия ${last.version}. Загрузите актуальный список с портала Минцифры.`,
    );
  }
  const sourceName = `Список аккредитованных УЦ${tsl.version ? `, версия ${tsl.version}` : ""}${tsl.date ? ` от ${formatDate(tsl.date)}` : ""}`;
  const seen = new Set<string>();
  for (const ca of tsl.cas) {
    const active = ca.status === "Действует";
    const organization = ca.shortName || ca.name || null;
    for (const c of ca.certificates) {
      const der = Buffer.from(c.base64.replace(/\s+/g, ""), "base64");
      try {
        const cert = parseCa(der);
        seen.add(cert.sha1);
        const outcome = await upsertCa(db, clock, cert, {
          source: "tsl",
          sourceName,
          organization,
          crlUrls: ca.crlUrls,
          active,
          removedReason: active ? null : `статус аккредитации «${ca.status || "не указан"}»`,
          test: false,
        });
        lines.push({ file, outcome, what: `${organization ?? ""}: ${describe(cert)}` });
      } catch (error) {
        if (!(error instanceof TrustFileRefused)) throw error;
        lines.push({
          file,
          outcome: "refused",
          what: `${organization ?? "УЦ"} (${c.thumbprint || "без отпечатка"})`,
          reason: error.message,
        });
      }
    }
  }
  // CAs an earlier list carried and this one does not: they left the accreditation.
  const dropped = await db
    .selectFrom("trusted_cas")
    .select(["id", "sha1", "name", "test"])
    .where("source", "=", "tsl")
    .where("status", "=", "active")
    .execute();
  for (const ca of dropped.filter((d) => !seen.has(d.sha1))) {
    await db
      .updateTable("trusted_cas")
      .set({
        status: "removed",
        removed_reason: `нет в списке аккредитованных УЦ${tsl.version ? ` версии ${tsl.version}` : ""}`,
        removed_at: clock.now().toISOString(),
        updated_at: clock.now().toISOString(),
      })
      .where("id", "=", ca.id)
      .execute();
    lines.push({ file, outcome: "removed", what: `${caLabel(ca)} — нет в новом списке` });
  }
  await db
    .insertInto("trust_imports")
    .values({
      kind: "tsl",
      file_name: file.slice(0, 500),
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
      version: tsl.version,
      published_at: tsl.date?.slice(0, 40) ?? null,
      summary: JSON.stringify({ cas: tsl.cas.length }),
      actor_id: actorId,
      imported_at: clock.now().toISOString(),
    })
    .execute();
}

/**
 * Imports files of any of the three kinds; a bad file or entry is a refused line, never a partial CA. Re-checks
 * the representatives' certificates afterwards, so a CA that left the list takes its certificates with it.
 */
export async function importTrustFiles(
  db: Db,
  clock: Clock,
  files: Array<{ name: string; bytes: Buffer }>,
  options: { appUrl: string; actorId?: number | null; ip?: string | null; source?: TrustSource; test?: boolean },
): Promise<ImportReport> {
  const lines: ImportLine[] = [];
  const actorId = options.actorId ?? null;
  for (const { name, bytes } of files) {
    if (bytes.length === 0) {
      lines.push({ file: name, outcome: "refused", what: path.basename(name), reason: "файл пуст" });
      continue;
    }
    const kind = classifyTrustFile(bytes);
    try {
      if (kind.kind === "tsl") {
        // One transaction a list: a list is taken whole or not at all (its per-CA refusals are lines, not errors).
        const listed: ImportLine[] = [];
        await db.transaction().execute((trx) => importTsl(trx, clock, name, bytes, actorId, listed));
        lines.push(...listed);
      } else if (kind.kind === "crl") {
        const r = await importCrl(db, clock, bytes, name, { appUrl: options.appUrl, actorId });
        lines.push({
          file: name,
          outcome: r.outcome,
          what: `список отзыва УЦ «${r.issuer}» от ${formatDate(r.thisUpdate)}: отозвано сертификатов — ${r.entries}${r.revokedNow ? `, из них представителей портала — ${r.revokedNow}` : ""}`,
        });
      } else {
        for (const der of kind.ders) {
          try {
            const cert = parseCa(der);
            const outcome = await upsertCa(db, clock, cert, {
              source: options.source ?? "file",
              sourceName: `файл ${path.basename(name)}`,
              organization: cert.subject.organization ?? null,
              crlUrls: [],
              active: true,
              removedReason: null,
              test: options.test ?? false,
            });
            lines.push({ file: name, outcome, what: describe(cert) });
          } catch (error) {
            if (!(error instanceof TrustFileRefused)) throw error;
            lines.push({ file: name, outcome: "refused", what: path.basename(name), reason: error.message });
          }
        }
      }
    } catch (error) {
      if (error instanceof TrustFileRefused || error instanceof CrlRefused) {
        lines.push({
          file: name,
          outcome: "refused",
          what: path.basename(name),
          reason: error.message.replace(/\.$/, ""),
        });
        continue;
      }
      throw error;
    }
  }
  const counts: Record<LineOutcome, number> = { added: 0, kept: 0, updated: 0, removed: 0, restored: 0, refused: 0 };
  for (const l of lines) counts[l.outcome]++;
  await recordAuditEvent(db, clock, {
    action: "trust.imported",
    actorId,
    subjectType: "trust_list",
    ip: options.ip ?? null,
    details: { files: files.map((f) => f.name).slice(0, 50), counts },
  });
  await refreshCertificateTrust(db, clock, options.appUrl);
  return { lines, counts };
}

/** Takes a CA off the trust list by hand (the admin page); its certificates stop counting. */
export async function removeTrustedCa(
  db: Db,
  clock: Clock,
  id: number,
  options: { appUrl: string; actorId: number; ip: string | null },
): Promise<boolean> {
  const now = clock.now().toISOString();
  const res = await db
    .updateTable("trusted_cas")
    .set({ status: "removed", removed_reason: "исключён администратором портала", removed_at: now, updated_at: now })
    .where("id", "=", id)
    .where("status", "=", "active")
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return false;
  await recordAuditEvent(db, clock, {
    action: "trust.ca-removed",
    actorId: options.actorId,
    subjectType: "trusted_ca",
    subjectId: id,
    ip: options.ip,
  });
  await refreshCertificateTrust(db, clock, options.appUrl);
  return true;
}

export function formatImportReport(report: ImportReport): string {
  const body = report.lines.map(
    (l) =>
      `${OUTCOME_WORDS[l.outcome]}: ${l.what}${l.reason ? ` — ${l.reason}` : ""}${l.file && !l.file.endsWith(l.what) ? ` [${l.file}]` : ""}`,
  );
  const c = report.counts;
  body.push(
    `Итого: добавлено ${c.added}, уже было ${c.kept}, возвращено ${c.restored}, исключено ${c.removed}, отказано ${c.refused}.`,
  );
  return body.join("\n");
}

/** The test CA of tests/fixtures, trusted on an embedded database with demo data (shown as «тестовый УЦ»). */
export const DEMO_TRUST_FILES = ["root.cer", "ca.cer", "ca.crl"].map((f) => path.join("tests", "fixtures", "certs", f));

export async function seedDemoTrust(db: Db, clock: Clock, appUrl: string): Promise<boolean> {
  const any = await db.selectFrom("trusted_cas").select("id").where("source", "=", "demo").limit(1).executeTakeFirst();
  if (any) return false;
  const files = DEMO_TRUST_FILES.filter((f) => fs.existsSync(f)).map((f) => ({ name: f, bytes: fs.readFileSync(f) }));
  if (files.length === 0) return false;
  await importTrustFiles(db, clock, files, { appUrl, source: "demo", test: true });
  return true;
}

export interface TrustedCaRow {
  id: number;
  name: string;
  organization: string | null;
  notBefore: string;
  notAfter: string;
  sha1: string;
  root: boolean;
  source: string;
  test: boolean;
  status: "active" | "removed";
  removedReason: string | null;
  removedAt: string | null;
  crl: { thisUpdate: string; nextUpdate: string | null; entries: number } | null;
}

/** The trust list as the admin page shows it: active first, newest first, with each CA's latest CRL. */
export async function trustedCasPage(
  db: Db,
  options: { q: string; page: number; pageSize?: number },
): Promise<{
  rows: TrustedCaRow[];
  total: number;
  active: number;
  lastTsl: { version: number | null; publishedAt: string | null; importedAt: string } | null;
}> {
  const pageSize = options.pageSize ?? 50;
  let query = db.selectFrom("trusted_cas");
  const q = options.q.trim();
  if (q) {
    const like = `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([eb("name", "like", like), eb("organization", "like", like), eb("sha1", "=", q.toUpperCase())]),
    );
  }
  const total = Number((await query.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const active = Number(
    (
      await db
        .selectFrom("trusted_cas")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("status", "=", "active")
        .executeTakeFirstOrThrow()
    ).n,
  );
  const rows = await query
    .select([
      "id",
      "name",
      "organization",
      "not_before",
      "not_after",
      "sha1",
      "self_signed",
      "source_name",
      "test",
      "status",
      "removed_reason",
      "removed_at",
      "subject_hash",
    ])
    .orderBy("status", "asc")
    .orderBy("not_after", "desc")
    .limit(pageSize)
    .offset((Math.max(1, options.page) - 1) * pageSize)
    .execute();
  const hashes = [...new Set(rows.map((r) => r.subject_hash))];
  const crls = hashes.length
    ? await db
        .selectFrom("crls")
        .select(["issuer_hash", "this_update", "next_update", "entries"])
        .where("issuer_hash", "in", hashes)
        .orderBy("this_update", "desc")
        .execute()
    : [];
  const lastTsl = await db
    .selectFrom("trust_imports")
    .select(["version", "published_at", "imported_at"])
    .where("kind", "=", "tsl")
    .orderBy("id", "desc")
    .executeTakeFirst();
  return {
    total,
    active,
    lastTsl: lastTsl
      ? { version: lastTsl.version, publishedAt: lastTsl.published_at, importedAt: lastTsl.imported_at }
      : null,
    rows: rows.map((r) => {
      const crl = crls.find((c) => c.issuer_hash === r.subject_hash);
      return {
        id: r.id,
        name: r.name,
        organization: r.organization,
        notBefore: r.not_before,
        notAfter: r.not_after,
        sha1: r.sha1,
        root: Boolean(r.self_signed),
        source: r.source_name,
        test: Boolean(r.test),
        status: r.status,
        removedReason: r.removed_reason,
        removedAt: r.removed_at,
        crl: crl ? { thisUpdate: crl.this_update, nextUpdate: crl.next_update, entries: crl.entries } : null,
      };
    }),
  };
}
