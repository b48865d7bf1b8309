// npm run bench:intake: throughput of POST /api/v1/reports through the real HTTP app on loopback
// (outbox only queued), sequential and with 8 clients at once, and how soon the receipt PDF is ready after the
// answer. BENCH_REPORTS sets the count; BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. Every request
// sends the ЕФС-1 of another organisation (one initial report per organisation and period is accepted; the same
// file again would only get its first receipt back): the sequential run for I quarter, the parallel one for the
// half-year. «CPU ms a report» is what the run cost: the server's main thread (the event loop, from /proc) and all
// of this process's threads (the pool, libuv, GC and the clients' own thread) — steadier than reports/s on a
// shared machine.
//
// The clients run in a worker thread of their own, so the server's event loop does only the server's work (with
// the clients in the server's thread the benchmark measured itself: building the multipart bodies and parsing
// the answers took a quarter of that thread).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { efs1Report, startBenchPortal, stats } from "./fixture";

const COUNT = Number(process.env.BENCH_REPORTS ?? 1000);
/** Every RECEIPT_EVERY-th answer is followed at once by a GET of its receipt URL (asking early waits, never errors). */
const RECEIPT_EVERY = 20;
const portal = await startBenchPortal(COUNT);

const CLIENTS = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, token } = workerData;
const fs = require("node:fs");
/** CPU seconds of this thread (the clients'), from /proc (Linux); 0 elsewhere. */
function threadCpuSeconds() {
  try {
    const f = fs.readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1].split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
const http = require("node:http");
// The clients are plain HTTP/1.1 over kept-alive connections with each multipart body built before the clock
// starts: the load generator shares the server's two cores, and fetch (undici) with FormData took ~2 ms of CPU a
// request — a fifth of what the server itself spends on an acceptance.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const BOUNDARY = "----sedo-bench-7d1f3a9c";
function multipart(file) {
  return Buffer.concat([
    Buffer.from("--" + BOUNDARY + '\\r\\nContent-Disposition: form-data; name="report"; filename="efs1.xml"\\r\\nContent-Type: text/xml\\r\\n\\r\\n'),
    Buffer.from(file),
    Buffer.from("\\r\\n--" + BOUNDARY + "--\\r\\n"),
  ]);
}
function request(method, target, body) {
  return new Promise((resolve, reject) => {
    const headers = { Authorization: "Bearer " + token };
    if (body) {
      headers["Content-Type"] = "multipart/form-data; boundary=" + BOUNDARY;
      headers["Content-Length"] = body.length;
    }
    const req = http.request(target, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
async function send(body, askReceipt) {
  const t = process.hrtime.bigint();
  const res = await request("POST", url + "/api/v1/reports", body);
  const text = res.body.toString("utf8");
  if (res.status !== 200) throw new Error("status " + res.status + ": " + text);
  const answer = JSON.parse(text);
  if (answer.duplicate) throw new Error("a duplicate: the benchmark must send distinct files");
  const answered = process.hrtime.bigint();
  let receipt = null;
  if (askReceipt) {
    const r = await request("GET", answer.receiptUrl);
    const pdf = r.body;
    if (r.status !== 200 || pdf.subarray(0, 5).toString() !== "%PDF-") throw new Error("receipt: status " + r.status);
    receipt = Number(process.hrtime.bigint() - answered) / 1e6;
  }
  return { ms: Number(answered - t) / 1e6, receipt, at: Date.now() };
}
parentPort.on("message", async ({ files, clients, every }) => {
  try {
    const samples = [];
    const receipts = [];
    let lastAnswer = 0;
    let next = 0;
    const bodies = files.map(multipart);
    const started = Date.now();
    const cpuBefore = threadCpuSeconds();
    await Promise.all(Array.from({ length: clients }, async () => {
      for (let i = next++; i < files.length; i = next++) {
        const r = await send(bodies[i], i % every === every - 1);
        samples.push(r.ms);
        if (r.receipt !== null) receipts.push(r.receipt);
        lastAnswer = Math.max(lastAnswer, r.at);
      }
    }));
    parentPort.postMessage({ samples, receipts, seconds: (Date.now() - started) / 1000, lastAnswer, cpuSeconds: threadCpuSeconds() - cpuBefore });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});
`;
const clients = new Worker(CLIENTS, { eval: true, workerData: { url: portal.url, token: portal.token } });

interface Round {
  samples: number[];
  receipts: number[];
  seconds: number;
  lastAnswer: number;
  /** CPU seconds the clients' own thread took. */
  cpuSeconds: number;
  error?: string;
}

/** Receipts kept so far: the whole files (a file being written has a temporary name of its own). */
async function receiptsStored(): Promise<number> {
  const names = await fs.promises
    .readdir(path.join(portal.uploadsDir, "receipts"), { recursive: true })
    .catch(() => []);
  return names.filter((n) => /(^|\/)\d+\.pdf$/.test(String(n))).length;
}
async function accepted(): Promise<number> {
  const r = await sql<{
    n: number | string;
  }>`select count(*) as n from report_submissions where status = 'accepted'`.execute(portal.db);
  return Number(r.rows[0].n);
}

/** CPU seconds of the server's main thread (this process's first thread) so far, from /proc (Linux). */
function mainThreadCpuSeconds(): number | null {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return null;
  }
}

async function run(clientCount: number, period: string, count = COUNT) {
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadCpuSeconds();
  const files = portal.organizations.slice(0, count).map((o) => new Uint8Array(efs1Report(o, period)));
  clients.postMessage({ files, clients: clientCount, every: RECEIPT_EVERY });
  const round = await new Promise<Round>((r) => clients.once("message", r));
  if (round.error) throw new Error(round.error);
  // Every acceptance's receipt is made after its commit; how long after the last answer until all are stored.
  const want = await accepted();
  while ((await receiptsStored()) < want) await new Promise((r) => setTimeout(r, 5));
  const allReadyAfter = Date.now() - round.lastAnswer;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuSeconds();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000 / count,
    clientsCpuMs: (round.cpuSeconds * 1000) / count,
    mainCpuMs: mainBefore !== null && mainAfter !== null ? ((mainAfter - mainBefore) * 1000) / count : null,
    perSecond: count / round.seconds,
    ...stats(round.samples),
    receipt: round.receipts.length ? stats(round.receipts) : null,
    asked: round.receipts.length,
    allReadyAfter,
  };
}

const snap = () => Object.fromEntries(fs.readdirSync("/proc/self/task").map((t) => { const s = fs.readFileSync(`/proc/self/task/${t}/stat`, "utf8"); const f = s.split(") ")[1].split(" "); return [t, (Number(f[11]) + Number(f[12])) * 10]; }));
await run(1, "09", 20); // warm-up: the pool starts its threads, the template is made
const sequential = await run(1, "03");
const before = snap();
const parallel = await run(8, "06");
{ const after = snap(); console.log(Object.keys(after).map((t) => [t, after[t] - (before[t] ?? 0)]).sort((a: any, b: any) => b[1] - a[1]).map((r) => r.join(":")).join(" ")); }
await clients.terminate();
console.log(
  `\n### API intake: ${COUNT} ЕФС-1 reports of ${(efs1Report(portal.organizations[0], "03").length / 1024).toFixed(0)} KiB each, ${portal.label}, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}\n`,
);
console.log(
  "| clients | reports/s | p50 ms | p95 ms | receipt GET right after the answer: n, p50 / p95 / max ms | every receipt stored, ms after the last answer | CPU ms a report: main thread / all threads / of which the clients' thread |\n|---:|---:|---:|---:|---|---:|---|",
);
for (const [n, r] of [
  [1, sequential],
  [8, parallel],
] as const)
  console.log(
    `| ${n} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.asked}: ${r.receipt ? `${r.receipt.p50.toFixed(1)} / ${r.receipt.p95.toFixed(1)} / ${r.receipt.max.toFixed(1)}` : "—"} | ${r.allReadyAfter} | ${r.mainCpuMs === null ? "—" : r.mainCpuMs.toFixed(1)} / ${r.cpuMs.toFixed(1)} / ${r.clientsCpuMs.toFixed(1)} |`,
  );
await portal.close();
process.exit(0);
