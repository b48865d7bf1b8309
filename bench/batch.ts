// npm run bench:batch: a quarter-end batch and «Сводка» through the real HTTP app on loopback.
//   - 200 ЕФС-1 files (≈26 KB each) of 200 organisations: in one form post (the page without JavaScript),
//     one file a request four at a time (the page's script, /reports/send), and over the API (8 clients);
//   - «Сводка» of a representative with 5 000 organisations × 4 periods (≈14 000 submissions): the page
//     (100 rows), the «не отправлено» filter, and the CSV and XLSX of all 5 000 rows.
// BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. Goals: the batch under 20 s, the summary p95 < 150 ms.
import os from "node:os";
import { sql } from "kysely";
import { efs1Report, startBenchPortal, stats, BENCH_NOW, BENCH_PASSWORD } from "./fixture";

const ORGS = Number(process.env.BENCH_ORGS ?? 5000);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const portal = await startBenchPortal(ORGS);

// The summary's data: I quarter and half-year accepted for nearly everyone, some refusals, 9 months for half.
const orgIds = (await portal.db.selectFrom("organizations").select(["id", "regnum"]).orderBy("id").execute()).map(
  (o) => o,
);
const rows = [];
for (const [i, o] of orgIds.entries()) {
  const base = {
    representative_id: portal.userId,
    organization_id: o.id,
    proxy_id: null,
    regnum: o.regnum,
    year: 2026,
    received_at: BENCH_NOW,
    size: 26000,
    original_name: "efs1.xml",
    stored_path: null,
    via: "api" as const,
    form: "EFS-1",
    correction: 0,
  };
  for (const period of ["03", "06"]) {
    rows.push({
      ...base,
      period,
      status: "accepted" as const,
      reason: null,
      receipt_number: `2026-${o.regnum}-${period}${i}`,
      sha256: `${period}-${i}`,
    });
  }
  if (i % 7 === 0)
    rows.push({
      ...base,
      period: "09",
      status: "rejected" as const,
      reason: "ИНН не совпадает",
      receipt_number: null,
      sha256: `r-${i}`,
    });
  else if (i % 2 === 0 && i >= 1000)
    rows.push({
      ...base,
      period: "09",
      status: "accepted" as const,
      reason: null,
      receipt_number: `2026-${o.regnum}-09${i}`,
      sha256: `09-${i}`,
    });
}
for (let i = 0; i < rows.length; i += 500)
  await portal.db
    .insertInto("report_submissions")
    .values(rows.slice(i, i + 500))
    .execute();

// Statistics as autovacuum would have them on a live database (a bulk load leaves PostgreSQL guessing).
if (portal.label.startsWith("PostgreSQL")) await sql`ANALYZE`.execute(portal.db);

// A browser session: sign in, then read the CSRF token from the page.
const login = await fetch(`${portal.url}/login`);
const anon = login.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
const loginCsrf = (await login.text()).match(/name="csrf" value="([^"]+)"/)![1];
const signedIn = await fetch(`${portal.url}/login`, {
  method: "POST",
  redirect: "manual",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: anon, Origin: portal.url },
  body: new URLSearchParams({ csrf: loginCsrf, email: portal.email, password: BENCH_PASSWORD }),
});
const cookie = signedIn.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
const csrf = (await (await fetch(`${portal.url}/reports`, { headers: { Cookie: cookie } })).text()).match(
  /name="csrf" value="([^"]+)"/,
)![1];
const browser = { Cookie: cookie, Origin: portal.url };

// Each batch: the «год 2025» reports of its own 200 organisations (the summary's data is 2026).
const files = (from: number) =>
  Array.from({ length: BATCH }, (_, i) => ({
    name: `efs1-${from + i}.xml`,
    bytes: efs1Report(portal.organizations[from + i], "12", 2025),
  }));
const formOf = (list: Array<{ name: string; bytes: Buffer }>, field: string, withCsrf: boolean) => {
  const form = new FormData();
  if (withCsrf) form.set("csrf", csrf);
  for (const f of list) form.append(field, new Blob([new Uint8Array(f.bytes)], { type: "text/xml" }), f.name);
  return form;
};
const accepted = (html: string) => Number(html.match(/Принято: (\d+)/)?.[1] ?? -1);

// 1. The form without JavaScript: one post with every file.
let t = Date.now();
const page = await fetch(`${portal.url}/reports`, {
  method: "POST",
  headers: browser,
  body: formOf(files(0), "reports", true),
});
const pageHtml = await page.text();
const formSeconds = (Date.now() - t) / 1000;
if (accepted(pageHtml) !== BATCH) throw new Error(`form: accepted ${accepted(pageHtml)} of ${BATCH}`);

// 2. The page's script: one file a request, four at a time.
t = Date.now();
const list = files(BATCH);
let next = 0;
let scriptAccepted = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let i = next++; i < list.length; i = next++) {
      const res = await fetch(`${portal.url}/reports/send`, {
        method: "POST",
        headers: browser,
        body: formOf([list[i]], "reports", true),
      });
      const body = (await res.json()) as { lines: Array<{ outcome: string }> };
      scriptAccepted += body.lines.filter((l) => l.outcome === "accepted").length;
    }
  }),
);
const scriptSeconds = (Date.now() - t) / 1000;
if (scriptAccepted !== BATCH) throw new Error(`script: accepted ${scriptAccepted} of ${BATCH}`);

// 3. The API: 8 clients.
t = Date.now();
const apiList = files(2 * BATCH);
next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    for (let i = next++; i < apiList.length; i = next++) {
      const res = await fetch(`${portal.url}/api/v1/reports`, {
        method: "POST",
        headers: { Authorization: `Bearer ${portal.token}` },
        body: formOf([apiList[i]], "report", false),
      });
      if (res.status !== 200) throw new Error(`api: ${res.status} ${await res.text()}`);
    }
  }),
);
const apiSeconds = (Date.now() - t) / 1000;

// 4. «Сводка».
async function time(path: string) {
  const get = async () => {
    const res = await fetch(`${portal.url}${path}`, { headers: { Cookie: cookie } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    await res.arrayBuffer();
  };
  await get();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = process.hrtime.bigint();
    await get();
    samples.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  return stats(samples);
}
const summary = [
  ["«Сводка», 2026, page 1 of 50 (100 rows)", await time("/reports/summary?year=2026")],
  ["«Сводка», 2026, page 25", await time("/reports/summary?year=2026&page=25")],
  ["«Сводка», not sent for 9 months 2026", await time("/reports/summary?missing=1")],
  ["Скачать CSV (5 000 rows)", await time("/reports/summary.csv?year=2026")],
  ["Скачать XLSX (5 000 rows)", await time("/reports/summary.xlsx?year=2026")],
] as const;

console.log(
  `\n### Batch intake and «Сводка», ${portal.label}, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}\n`,
);
console.log(
  `| ${BATCH} ЕФС-1 files of ${(list[0].bytes.length / 1024).toFixed(0)} KiB | seconds | files/s |\n|---|---:|---:|`,
);
for (const [name, s] of [
  ["one form post (no JavaScript)", formSeconds],
  ["the page's script, 4 at a time", scriptSeconds],
  ["API, 8 clients", apiSeconds],
] as const)
  console.log(`| ${name} | ${s.toFixed(1)} | ${(BATCH / s).toFixed(0)} |`);
console.log(
  `\n| ${ORGS} organisations × 4 periods, ${rows.length} submissions | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|`,
);
for (const [name, s] of summary)
  console.log(`| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`);
await portal.close();
