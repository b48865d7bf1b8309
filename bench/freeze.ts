// npm run bench:freeze: does a heavy report stall the portal? Four 4–5 MB uploads sent at the same moment over
// the API — the crafted one with 500 000 attributes on one element, then a legitimate ЕФС-1 of 30 000 persons —
// while one client keeps asking GET /login until the four are answered, in rounds; prints that page's latency
// (goal: p99 < 200 ms).
import os from "node:os";
import { Worker } from "node:worker_threads";
import { startBenchPortal, stats } from "./fixture";

const portal = await startBenchPortal(4);
const crafted = Buffer.from(
  `<?xml version="1.0"?><F4REPORT><TITLE ${Array.from({ length: 500_000 }, (_, i) => `a${i.toString(36)}="1"`).join(" ")}/></F4REPORT>`,
);
const org = portal.organizations[0];
const sfr = org.sfrRegnum ?? "";
const heavy = Buffer.from(
  `<?xml version="1.0" encoding="utf-8"?><ЭДСФР xmlns="http://пф.рф/ЕФС-1/2026-01-01"><ЕФС-1><Страхователь><РегНомер>${sfr.slice(0, 3)}-${sfr.slice(3, 6)}-${sfr.slice(6)}</РегНомер><ИНН>${org.inn}</ИНН></Страхователь>` +
    "<ЗЛ><ФИО><Фамилия>Петров</Фамилия></ФИО><Мероприятие><Вид>1</Вид></Мероприятие></ЗЛ>".repeat(30_000) +
    `<ОСС><НомерКорректировки>000</НомерКорректировки><Период><Код>03</Код><Год>2025</Год></Период></ОСС></ЕФС-1></ЭДСФР>`,
);

// The clients run in worker threads of their own — the uploaders in one, the GET sampler in another — so the
// server's event loop does only the server's work, and the sampler is not held up by building four 4.7 MB
// multipart bodies itself (that alone stalled it by 300 ms when both shared a thread).
const UPLOADER = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, token, file } = workerData;
parentPort.on("message", async () => {
  await Promise.all(Array.from({ length: 4 }, async () => {
    const form = new FormData();
    form.set("report", new Blob([file], { type: "text/xml" }), "big.xml");
    await fetch(url + "/api/v1/reports", { method: "POST", body: form, headers: { Authorization: "Bearer " + token } }).then((r) => r.arrayBuffer());
  }));
  parentPort.postMessage("round done");
});
`;
const SAMPLER = `
const { parentPort, workerData } = require("node:worker_threads");
let running = false;
const samples = [];
parentPort.on("message", async (m) => {
  if (m === "start") {
    running = true;
    while (running) {
      const t = process.hrtime.bigint();
      await (await fetch(workerData.url + "/login")).arrayBuffer();
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  } else if (m === "stop") {
    running = false;
    setTimeout(() => parentPort.postMessage(samples.splice(0)), 100);
  }
});
`;

/** Rounds of four uploads sent at the same moment; GET /login sampled from another thread until they are answered. */
async function under(file: Buffer, rounds: number) {
  const uploader = new Worker(UPLOADER, {
    eval: true,
    workerData: { url: portal.url, token: portal.token, file: new Uint8Array(file) },
  });
  const sampler = new Worker(SAMPLER, { eval: true, workerData: { url: portal.url } });
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    sampler.postMessage("start");
    uploader.postMessage("go");
    await new Promise((r) => uploader.once("message", r));
    sampler.postMessage("stop");
    samples.push(...(await new Promise<number[]>((r) => sampler.once("message", r))));
    await new Promise((r) => setTimeout(r, 200));
  }
  await Promise.all([uploader.terminate(), sampler.terminate()]);
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    ...stats(samples),
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
    uploads: rounds * 4,
    n: samples.length,
  };
}

await under(heavy, 2); // warm-up: the reader pool starts its threads
const idle = await under(Buffer.from("<a/>"), 10);
const attack = await under(crafted, 10);
const legit = await under(heavy, 5);
console.log(
  `\n### GET /login while 4 uploads run at once, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${portal.label}\n`,
);
console.log("| load | GET p50 ms | GET p99 ms | GET max ms | GETs | uploads done |\n|---|---:|---:|---:|---:|---:|");
for (const [name, r] of [
  ["4 tiny refused files (baseline)", idle],
  [`4 × crafted ${(crafted.length / 1048576).toFixed(1)} MB, 500 000 attributes`, attack],
  [`4 × ЕФС-1 ${(heavy.length / 1048576).toFixed(1)} MB, 30 000 persons`, legit],
] as const)
  console.log(`| ${name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.n} | ${r.uploads} |`);
await portal.close();
process.exit(0);
