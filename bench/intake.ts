// npm run bench:intake: throughput of POST /api/v1/reports through the real HTTP app on loopback
// (outbox only queued), sequential and with 8 clients at once. BENCH_REPORTS sets the count;
// BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL. Every request sends the ЕФС-1 of another
// organisation (one initial report per organisation and period is accepted; the same file again would only
// get its first receipt back): the sequential run for I quarter, the parallel one for the half-year.
import os from "node:os";
import { efs1Report, startBenchPortal, stats } from "./fixture";

const COUNT = Number(process.env.BENCH_REPORTS ?? 1000);
const portal = await startBenchPortal(COUNT);

async function send(index: number, period: string): Promise<number> {
  const form = new FormData();
  form.set(
    "report",
    new Blob([new Uint8Array(efs1Report(portal.organizations[index], period))], { type: "text/xml" }),
    "efs1.xml",
  );
  const t = process.hrtime.bigint();
  const res = await fetch(`${portal.url}/api/v1/reports`, {
    method: "POST",
    body: form,
    headers: { Authorization: `Bearer ${portal.token}` },
  });
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  const answer = (await res.json()) as { duplicate: boolean };
  if (answer.duplicate) throw new Error("a duplicate: the benchmark must send distinct files");
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function run(clients: number, period: string) {
  const samples: number[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < COUNT; i = next++) samples.push(await send(i, period));
    }),
  );
  return { perSecond: COUNT / ((Date.now() - started) / 1000), ...stats(samples) };
}

await send(0, "09"); // warm-up
const sequential = await run(1, "03");
const parallel = await run(8, "06");
console.log(
  `\n### API intake: ${COUNT} ЕФС-1 reports of ${(efs1Report(portal.organizations[0], "03").length / 1024).toFixed(0)} KiB each, ${portal.label}, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}\n`,
);
console.log("| clients | reports/s | p50 ms | p95 ms |\n|---:|---:|---:|---:|");
for (const [n, r] of [
  [1, sequential],
  [8, parallel],
] as const)
  console.log(`| ${n} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
await portal.close();
