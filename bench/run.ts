// npm run bench: search latency over a generated registry of 1 000 000 organisations, and the
// represented-organisations table of one representative with 5 000 rows. SQLite by default;
// BENCH_DATABASE_URL=postgres://… runs the same on PostgreSQL (in a fresh schema, dropped after).
// BENCH_ORGS and BENCH_PROXIES change the sizes. Prints a Markdown table of p50 / p95 / max.
import os from "node:os";
import { sql } from "kysely";
import type { DbHandle } from "../db/index.server";
import { openBenchDatabase } from "./database";
import { migrateToLatest } from "../db/migrate.server";
import { seedRegistry } from "../db/seed/registry.server";
import { ManualClock } from "../app/clock.server";
import { refreshRegistryStatistics, searchOrganizations, validateSearch } from "../app/organizations/registry.server";
import { RepresentativeProxies } from "../app/proxies/representative-proxies.server";
import { offlineRegistry } from "../app/proxies/mchd-registry.server";

const ORGS = Number(process.env.BENCH_ORGS ?? 1_000_000);
const PROXIES = Number(process.env.BENCH_PROXIES ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

const open = openBenchDatabase;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

const { handle, label, cleanup } = await open();
const db = handle.db;
try {
  await migrateToLatest(db);
  let t = Date.now();
  await seedRegistry(db, ORGS, 42);
  await refreshRegistryStatistics(db, handle.kind); // as `npm run registry:import` does after loading
  const loadSeconds = (Date.now() - t) / 1000;
  const rows: Array<[string, ReturnType<typeof stats>, string]> = [];

  const sample = await db
    .selectFrom("organizations")
    .select(["inn", "regnum", "sfr_regnum", "short_name"])
    .where("id", "=", Math.floor(ORGS / 2))
    .executeTakeFirstOrThrow();
  const searches: Array<[string, Record<string, string>]> = [
    ["name «ромашк» (common, ~2 % of the registry), page 1", { name: "ромашк" }],
    ["name «садко-юг» (one name of 624, ~0.16 %)", { name: "садко-юг" }],
    ["name «ович» (every entrepreneur)", { name: "ович" }],
    ["ИНН, exact", { inn: sample.inn }],
    ["registration number, exact", { regnum: sample.regnum }],
    ["СФР registration number, exact", { regnum: sample.sfr_regnum ?? "" }],
  ];
  for (const [name, raw] of searches) {
    const v = validateSearch(raw);
    if (!v.ok) throw new Error(JSON.stringify(v.fieldErrors));
    let total = 0;
    const samples = await time(async () => {
      total = (await searchOrganizations(db, handle.kind, v.criteria, { representativeId: 1 })).total;
    });
    rows.push([`search: ${name}`, stats(samples), `${total >= 1000 ? "≥1000" : total} found`]);
  }
  const deep = validateSearch({ name: "ромашк" });
  if (deep.ok)
    rows.push([
      "search: name «ромашк», page 40",
      stats(await time(() => searchOrganizations(db, handle.kind, deep.criteria, { page: 40 }))),
      "",
    ]);

  // One representative with PROXIES organisations, a quarter of them «На проверке».
  const clock = new ManualClock("2026-11-23T09:00:00Z");
  const now = clock.now().toISOString();
  const user = await db
    .insertInto("users")
    .values({
      role: "representative",
      surname: "Бенчмаркова",
      given_name: "Анна",
      patronymic: "",
      email: "bench@example.ru",
      password_hash: "x",
      status: "active",
      territorial_body_code: null,
      locked_until: null,
      created_at: now,
      confirmed_at: now,
      password_changed_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  t = Date.now();
  for (let from = 1; from <= PROXIES; from += 1000) {
    const values = [];
    for (let i = from; i < Math.min(from + 1000, PROXIES + 1); i++) {
      const review = i % 4 === 0;
      values.push({
        representative_id: user.id,
        organization_id: i * Math.floor(ORGS / PROXIES),
        status: review ? ("in_review" as const) : ("not_filled" as const),
        created_at: now,
        valid_from: review ? "2026-01-01" : null,
        valid_to: review ? "2027-01-01" : null,
        poa_file_id: null,
        submitted_at: review ? now : null,
        sla_due_at: review ? now : null,
        decided_at: null,
        decided_by: null,
        rejection_reason: null,
        paper_copy_received_at: null,
        withdrawn_at: null,
      });
    }
    await db.insertInto("proxies").values(values).execute();
  }
  // Autovacuum analyses a table after such a load within a minute; the benchmark does not wait for it.
  const analyzeProxies = () => (handle.kind === "postgres" ? sql`ANALYZE proxies`.execute(db) : Promise.resolve());
  await analyzeProxies();
  const proxies = RepresentativeProxies.for(
    {
      db,
      clock,
      dbKind: handle.kind,
      uploadsDir: os.tmpdir(),
      appUrl: "http://localhost",
      ip: null,
      mchdRegistry: offlineRegistry,
    },
    user.id,
  );
  const table: Array<[string, Parameters<RepresentativeProxies["list"]>[0]]> = [
    ["table: first page of all", {}],
    ["table: page 50", { page: 50 }],
    ["table: status «На проверке»", { status: "in_review" }],
    ["table: search by name «ромашк»", { q: "ромашк" }],
    ["table: search by ИНН prefix", { q: sample.inn.slice(0, 5) }],
  ];
  for (const [name, filter] of table) {
    let total = 0;
    const samples = await time(async () => {
      total = (await proxies.list(filter)).total;
    });
    rows.push([`${name} (${PROXIES} rows)`, stats(samples), `${total} match`]);
  }

  // The operators' queue: QUEUE proxies «На проверке» across the 85 offices (about 1 200 per office),
  // submitted over the last three weeks, with 1 000 representatives.
  const QUEUE = Number(process.env.BENCH_QUEUE ?? 100_000);
  const reps: number[] = [];
  for (let i = 0; i < 1000; i += 250) {
    const created = await db
      .insertInto("users")
      .values(
        Array.from({ length: 250 }, (_, k) => ({
          role: "representative" as const,
          surname: `Представитель${i + k}`,
          given_name: "Иван",
          patronymic: "",
          email: `rep${i + k}@bench.example.ru`,
          password_hash: "x",
          status: "active" as const,
          territorial_body_code: null,
          locked_until: null,
          created_at: now,
          confirmed_at: now,
          password_changed_at: now,
        })),
      )
      .returning("id")
      .execute();
    reps.push(...created.map((r) => r.id));
  }
  // Organisations the table above does not use (its ids are multiples of `step`).
  const step = Math.floor(ORGS / PROXIES);
  const orgOffice = await db
    .selectFrom("organizations")
    .select(["id", "territorial_body_code"])
    .where(sql<boolean>`id % ${step} <> 0`)
    .orderBy("id")
    .limit(QUEUE)
    .execute();
  const start = new Date("2026-11-02T09:00:00Z").getTime();
  for (let from = 0; from < orgOffice.length; from += 1000) {
    await db
      .insertInto("proxies")
      .values(
        orgOffice.slice(from, from + 1000).map((o, k) => {
          const submitted = new Date(start + ((from + k) % 21) * 24 * 3600_000 + k * 1000);
          return {
            representative_id: reps[(from + k) % reps.length],
            organization_id: o.id,
            office_code: o.territorial_body_code,
            status: "in_review" as const,
            created_at: submitted.toISOString(),
            valid_from: "2026-01-01",
            valid_to: "2027-12-31",
            poa_file_id: null,
            submitted_at: submitted.toISOString(),
            sla_due_at: new Date(submitted.getTime() + 7 * 24 * 3600_000).toISOString(),
            decided_at: null,
            decided_by: null,
            rejection_reason: null,
            paper_copy_received_at: null,
            withdrawn_at: null,
            expiry_reminded_30_at: null,
            expiry_reminded_7_at: null,
          };
        }),
      )
      .execute();
  }
  await analyzeProxies();
  const { OfficeQueue } = await import("../app/review/office-queue.server");
  const queue = await OfficeQueue.for(
    { db, clock, uploadsDir: os.tmpdir(), appUrl: "http://localhost", ip: null },
    { id: 1, officeCode: "7700" },
  );
  const queueCases: Array<[string, () => Promise<unknown>]> = [
    ["queue: office 7700, page 1", () => queue.list({})],
    ["queue: office 7700, «Только просроченные»", () => queue.list({ overdueOnly: true })],
    ["queue: office 7700, page 10", () => queue.list({ page: 10 })],
    ["queue: office 7700, search by representative", () => queue.list({ q: "представитель12" })],
    ["queue: office 7700, counters", () => queue.counters()],
  ];
  const inOffice = Number(
    (
      await db
        .selectFrom("proxies")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("office_code", "=", "7700")
        .where("status", "=", "in_review")
        .executeTakeFirstOrThrow()
    ).n,
  );
  for (const [name, fn] of queueCases)
    rows.push([`${name} (${orgOffice.length} in review, ${inOffice} in 7700)`, stats(await time(fn)), ""]);

  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  console.log(
    `\n### ${label}: ${ORGS.toLocaleString("en")} organisations (loaded in ${loadSeconds.toFixed(0)} s), ${RUNS} runs each`,
  );
  console.log(
    `Machine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
  );
  console.log("| query | p50 ms | p95 ms | max ms | result |\n|---|---:|---:|---:|---|");
  for (const [name, s, note] of rows)
    console.log(`| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${note} |`);
} finally {
  await cleanup();
}
