// npm run bench:intake: throughput of POST /api/v1/reports through the real HTTP app on loopback
// (outbox only queued), sequential and with 8 clients at once. BENCH_REPORTS sets the count;
// BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. Every request sends a different file (the same
// file again would only get its first receipt back).
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../app/config.server";
import { ManualClock } from "../app/clock.server";
import { openBenchDatabase } from "./database";
import { migrateToLatest } from "../db/migrate.server";
import { seedTerritorialBodies } from "../db/seed/registry.server";
import { upsertOrganizations } from "../app/organizations/registry.server";
import { sha256Hex } from "../app/accounts/tokens.server";
import { createApp, loadBuild } from "../server";

const COUNT = Number(process.env.BENCH_REPORTS ?? 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-intake-"));
const bench = await openBenchDatabase();
const database = bench.handle;
await migrateToLatest(database.db);
await seedTerritorialBodies(database.db);
await upsertOrganizations(database.db, [
  {
    regnum: "7700000001",
    inn: "7707083893",
    kpp: "770701001",
    ogrn: "1027700132195",
    fullName: "ООО «Ромашка»",
    shortName: "ООО «Ромашка»",
    address: "г. Москва",
  },
]);
const now = "2026-11-23T09:00:00.000Z";
const user = await database.db
  .insertInto("users")
  .values({
    role: "representative",
    surname: "Иванова",
    given_name: "Мария",
    patronymic: "Петровна",
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
const org = await database.db.selectFrom("organizations").select("id").executeTakeFirstOrThrow();
await database.db
  .insertInto("certificates")
  .values({
    user_id: user.id,
    sha1: "A".repeat(40),
    sha256: "B".repeat(64),
    serial: "01",
    issuer: "CN=x",
    issuer_cn: "x",
    holder_surname: "Иванова",
    holder_given_name: "Мария",
    holder_patronymic: "Петровна",
    subject: "{}",
    snils: null,
    inn: null,
    not_before: "2026-01-01T00:00:00.000Z",
    not_after: "2027-12-31T00:00:00.000Z",
    algorithm: "gost2012-256",
    der: Buffer.from([0x30]),
    status: "current",
    uploaded_at: now,
    replaced_at: null,
    reminded_30_at: null,
    reminded_7_at: null,
  })
  .execute();
await database.db
  .insertInto("proxies")
  .values({
    representative_id: user.id,
    organization_id: org.id,
    office_code: "7700",
    status: "approved",
    valid_from: "2026-01-01",
    valid_to: "2027-12-31",
    poa_file_id: null,
    submitted_at: now,
    sla_due_at: now,
    decided_at: now,
    decided_by: null,
    rejection_reason: null,
    paper_copy_received_at: "2026-11-20",
    created_at: now,
    withdrawn_at: null,
    expiry_reminded_30_at: null,
    expiry_reminded_7_at: null,
  })
  .execute();
const token = "sedo_" + crypto.randomBytes(32).toString("base64url");
await database.db
  .insertInto("api_tokens")
  .values({
    user_id: user.id,
    name: "bench",
    token_hash: sha256Hex(token),
    prefix: token.slice(0, 12),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  })
  .execute();

const server = http.createServer();
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;
const config = loadConfig({
  NODE_ENV: "test",
  PORT: String(port),
  APP_URL: `http://127.0.0.1:${port}`,
  DATABASE_URL: bench.url,
  UPLOADS_DIR: path.join(dir, "uploads"),
  MAIL_DIR: path.join(dir, "emails"),
  SESSION_SECRET: "b".repeat(40),
  API_REQUESTS_PER_MINUTE: "100000",
});
server.on(
  "request",
  createApp({ config, database, clock: new ManualClock(now), build: await loadBuild(), log: () => {} }),
);

// A realistic file: the title plus a few hundred payment orders (~26 KB); each request's file differs.
const head = `<?xml version="1.0" encoding="utf-8"?><?F4FORM version="0.93"?><F4REPORT xmlns="http://fz122.fss.ru"><TITLE REG_NUM="7700000001" QUART_NUM="09" YEAR_NUM="2026" INN="7707083893" NAME="ООО «Ромашка»"/>`;
const orders = Array.from(
  { length: 400 },
  (_, i) => `<PAYM_ORDER PAY_NUM="${i}" PAY_DT="2026-09-15" PAY_SUM="${1000 + i}.00"/>`,
).join("");
let sent = 0;
const nextFile = () => Buffer.from(`${head}<F4INF1 SEQ="${++sent}"/>${orders}</F4REPORT>`);
const body = nextFile();

async function send(): Promise<number> {
  const form = new FormData();
  form.set("report", new Blob([new Uint8Array(nextFile())], { type: "text/xml" }), "4fss.xml");
  const t = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/reports`, {
    method: "POST",
    body: form,
    headers: { Authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  const answer = (await res.json()) as { duplicate: boolean };
  if (answer.duplicate) throw new Error("a duplicate: the benchmark must send distinct files");
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function run(clients: number): Promise<{ perSecond: number; p50: number; p95: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < COUNT) samples.push(await send());
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  return {
    perSecond: COUNT / seconds,
    p50: samples[Math.floor(samples.length / 2)],
    p95: samples[Math.floor(samples.length * 0.95)],
  };
}

await send(); // warm-up
const sequential = await run(1);
const parallel = await run(8);
console.log(
  `\n### API intake: ${COUNT} reports of ${(body.length / 1024).toFixed(0)} KiB each, ${bench.label}, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}\n`,
);
console.log("| clients | reports/s | p50 ms | p95 ms |\n|---:|---:|---:|---:|");
for (const [n, r] of [
  [1, sequential],
  [8, parallel],
] as const)
  console.log(`| ${n} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
server.close();
await bench.cleanup();
fs.rmSync(dir, { recursive: true, force: true });
