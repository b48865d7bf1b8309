// npm run bench:certificates: accepting a representative's certificate with a three-level chain (person → issuing
// CA → root, ГОСТ 2012): parse, the qualified profile, the chain built from a trust list of BENCH_CAS CA rows,
// every signature verified by OpenSSL's GOST engine, revocation looked up among BENCH_REVOKED entries, and the row
// stored. SQLite by default; BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. Prints p50 / p95 / max.
import crypto from "node:crypto";
import os from "node:os";
import { ManualClock } from "../app/clock.server";
import { acceptCertificate } from "../app/certificates/acceptance.server";
import { importTrustFiles } from "../app/certificates/trust-list.server";
import { parseCertificate } from "../app/certificates/parse.server";
import { hashPassword } from "../app/accounts/passwords.server";
import { migrateToLatest } from "../db/migrate.server";
import { HOLDER, makeScenario } from "../tests/support/pki-scenario";
import { openBenchDatabase } from "./database";

const CAS = Number(process.env.BENCH_CAS ?? 5_000);
const REVOKED = Number(process.env.BENCH_REVOKED ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

const bench = await openBenchDatabase();
const db = bench.handle.db;
await migrateToLatest(db);
const clock = new ManualClock("2026-11-23T09:00:00.000Z");
const s = makeScenario();
await importTrustFiles(
  db,
  clock,
  [
    { name: "root.cer", bytes: s.root.der },
    { name: "ca.cer", bytes: s.ca.der },
  ],
  { appUrl: "http://bench" },
);
// The rest of a real trust list (the Минцифры list carries a few thousand CA certificates): rows under other names.
const now = clock.now().toISOString();
for (let i = 0; i < CAS; i += 500) {
  const rows = Array.from({ length: Math.min(500, CAS - i) }, () => {
    const h = crypto.randomBytes(32).toString("hex");
    return {
      sha1: crypto.randomBytes(20).toString("hex").toUpperCase(),
      sha256: h,
      subject_hash: crypto.randomBytes(32).toString("hex"),
      issuer_hash: h,
      subject_key_id: null,
      authority_key_id: null,
      serial: "01",
      name: "УЦ для объёма",
      subject: "CN=УЦ для объёма",
      organization: null,
      self_signed: 0,
      not_before: "2026-01-01T00:00:00.000Z",
      not_after: "2036-01-01T00:00:00.000Z",
      algorithm: "gost2012-256",
      der: s.ca.der,
      crl_urls: "[]",
      source: "file" as const,
      source_name: "bench",
      test: 0,
      status: "active" as const,
      removed_reason: null,
      added_at: now,
      updated_at: now,
      removed_at: null,
    };
  });
  await db.insertInto("trusted_cas").values(rows).execute();
}
const issuerHash = parseCertificate(s.people.good.der).issuerHash;
const crl = await db
  .insertInto("crls")
  .values({
    issuer_hash: issuerHash,
    authority_key_id: null,
    issuer_name: "УЦ сценария",
    number: "01",
    this_update: now,
    next_update: null,
    entries: REVOKED,
    sha256: crypto.randomBytes(32).toString("hex"),
    source: "bench",
    imported_at: now,
  })
  .returning("id")
  .executeTakeFirstOrThrow();
for (let i = 0; i < REVOKED; i += 1000) {
  await db
    .insertInto("revoked_serials")
    .values(
      Array.from({ length: Math.min(1000, REVOKED - i) }, () => ({
        issuer_hash: issuerHash,
        serial: crypto.randomBytes(16).toString("hex").toUpperCase(),
        revoked_at: "2026-06-01T00:00:00.000Z",
        reason: "keyCompromise",
        crl_id: crl.id,
      })),
    )
    .execute();
}

const passwordHash = await hashPassword("Bench-2026!");
async function account(i: number): Promise<number> {
  const row = await db
    .insertInto("users")
    .values({
      role: "representative",
      surname: HOLDER.surname,
      given_name: HOLDER.givenName,
      patronymic: HOLDER.patronymic,
      email: `bench-${i}-${crypto.randomBytes(3).toString("hex")}@example.ru`,
      password_hash: passwordHash,
      status: "active",
      territorial_body_code: null,
      locked_until: null,
      created_at: now,
      confirmed_at: now,
      password_changed_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One acceptance, timed; the stored row is removed afterwards (untimed) so the same certificate can come again. */
async function acceptOnce(userId: number, bytes: Buffer): Promise<number> {
  const started = performance.now();
  const stored = await acceptCertificate(db, clock, { userId, account: HOLDER, bytes, ip: null });
  const ms = performance.now() - started;
  await db.deleteFrom("certificates").where("id", "=", stored.id).execute();
  return ms;
}

// One certificate per client (a certificate belongs to one account), each issued by the same CA.
const certificates = Array.from(
  { length: CONCURRENCY },
  (_, i) =>
    s.pki.issue(s.ca, {
      id: `bench-${i}`,
      subject: `/C=RU/SN=${HOLDER.surname}/GN=${HOLDER.givenName} ${HOLDER.patronymic}/CN=${HOLDER.surname} ${HOLDER.givenName} ${HOLDER.patronymic}/SNILS=11223344595`,
      notBefore: "20261001000000Z",
      notAfter: "20271001000000Z",
      key: i % 2 ? "gost2012_512" : "gost2012_256",
    }).der,
);
const userIds = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => account(i)));
await acceptOnce(userIds[0], certificates[0]); // warm-up

const sequential: number[] = [];
for (let i = 0; i < RUNS; i++) sequential.push(await acceptOnce(userIds[0], certificates[0]));

const parallel: number[] = [];
const startedAll = performance.now();
for (let i = 0; i < RUNS; i += CONCURRENCY) {
  parallel.push(...(await Promise.all(userIds.map((id, k) => acceptOnce(id, certificates[k])))));
}
const wall = performance.now() - startedAll;

const fmt = (n: number) => n.toFixed(1);
const seq = stats(sequential);
const par = stats(parallel);
console.log(
  `Certificate acceptance, three-level ГОСТ 2012 chain — ${bench.label}, ${CAS.toLocaleString("ru-RU")} CA rows, ${REVOKED.toLocaleString("ru-RU")} revoked serials, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}`,
);
console.log("| run | n | p50 ms | p95 ms | max ms |");
console.log("|---|---:|---:|---:|---:|");
console.log(`| one at a time | ${sequential.length} | ${fmt(seq.p50)} | ${fmt(seq.p95)} | ${fmt(seq.max)} |`);
console.log(
  `| ${CONCURRENCY} at once (${((parallel.length / wall) * 1000).toFixed(0)}/s) | ${parallel.length} | ${fmt(par.p50)} | ${fmt(par.p95)} | ${fmt(par.max)} |`,
);
await bench.cleanup();
if (seq.p95 >= 200) {
  console.error(`p95 ${fmt(seq.p95)} ms is over the 200 ms budget`);
  process.exitCode = 1;
}
