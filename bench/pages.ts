// npm run bench:pages: requests/s of pages through the real HTTP stack, side by side in one run with the floor —
// a one-route Remix 2 app behind bare Express (bench/floor) — so the portal's own per-request cost shows as a share
// of what Remix itself allows on this machine. autocannon, BENCH_CONNECTIONS (20) connections for BENCH_SECONDS (10)
// each, no compression asked (the handler's cost, not zlib's). The portal runs with its embedded demo database, as one
// process and with WEB_CONCURRENCY=2; the floor as one process and as two (node:cluster), the machine's own answer to
// what a second process can give.
import { execFileSync, execSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { freePort } from "../tests/e2e/support";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const root = path.resolve(import.meta.dirname, "..");

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`did not start:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function start(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = "";
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (out = (out + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (out = (out + d).slice(-20_000)));
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
}

/**
 * The load generator: wrk (C, one thread) where it is installed — `apt-get install wrk` — else autocannon. Either
 * shares this machine's two cores with the servers; wrk takes a fraction of a core where autocannon takes most of
 * one, which leaves a second server process a core of its own. BENCH_LOAD=autocannon forces autocannon.
 */
const WRK = process.env.BENCH_LOAD !== "autocannon" && fs.existsSync("/usr/bin/wrk") ? "/usr/bin/wrk" : null;
export const LOAD_GENERATOR = WRK ? "wrk 4 (one thread)" : "autocannon (in this process)";

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** CPU of the server's processes (all of them with WEB_CONCURRENCY) per request, from /proc: steadier than req/s. */
  cpuMs?: number;
}

/** CPU seconds so far of a process and its children (the cluster's server processes), from /proc (Linux). */
function treeCpuSeconds(pid: number): number {
  const own = (p: number) => {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
  } catch {
    // not Linux
  }
  return own(pid) + children.reduce((sum, c) => sum + own(c), 0);
}

function wrkMs(text: string, label: string): number {
  const m = text.match(new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, "m"));
  if (!m) throw new Error(`wrk: no ${label} in\n${text}`);
  return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1);
}

function wrk(url: string, seconds: number, headers: Record<string, string>): Load {
  const args = ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "--latency"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const out = execFileSync(WRK!, [...args, url], { encoding: "utf8" });
  const non2xx = out.match(/Non-2xx or 3xx responses: (\d+)/);
  if (non2xx) throw new Error(`${url}: ${non2xx[1]} answers were not 2xx`);
  const rps = out.match(/Requests\/sec:\s+([\d.]+)/);
  if (!rps) throw new Error(`wrk: no Requests/sec in\n${out}`);
  return { rps: Number(rps[1]), p50: wrkMs(out, "50%"), p99: wrkMs(out, "99%") };
}

async function load(url: string, server: ChildProcess, headers: Record<string, string> = {}): Promise<Load> {
  // Warm-up: the JIT, and the jobs a server runs once it has started, settle first.
  const measured = async (): Promise<Load> => {
    if (WRK) return wrk(url, SECONDS, headers);
    const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
    if (r.non2xx) throw new Error(`${url}: ${r.non2xx} answers were not 2xx`);
    return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
  };
  if (WRK) wrk(url, WARMUP_SECONDS, headers);
  else await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers });
  const before = treeCpuSeconds(server.pid!);
  const r = await measured();
  const cpu = treeCpuSeconds(server.pid!) - before;
  return { ...r, cpuMs: before ? (cpu * 1000) / (r.rps * SECONDS) : undefined };
}

async function portal(workers: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-bench-pages-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = start(["--import", "tsx", "server.ts"], {
    NODE_ENV: "production",
    PORT: String(port),
    APP_URL: url,
    DATABASE_URL: path.join(dir, "portal.sqlite"),
    UPLOADS_DIR: path.join(dir, "uploads"),
    MAIL_DIR: path.join(dir, "emails"),
    SMTP_URL: "",
    SEED_DEMO: "1",
    WEB_CONCURRENCY: String(workers),
  });
  await waitFor(`${url}/login`, p.child, p.output);
  return { url, child: p.child, dir };
}

async function signIn(url: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const cookies = page.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)![1];
  const res = await fetch(`${url}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url, Cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrf, email: "demo@sedo-gateway.local", password: "Demo-2026!" }),
  });
  if (res.status !== 302) throw new Error(`sign-in: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

execSync("npx remix build", { cwd: path.join(root, "bench/floor"), stdio: "ignore" });
async function floor(workers: number) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const p = start(["bench/floor/server.mjs"], { PORT: String(port), NODE_ENV: "production", WORKERS: String(workers) });
  await waitFor(`${url}/`, p.child, p.output);
  return { url, child: p.child };
}

// Every server runs from the start (an idle one costs nothing), and the measurements come in BENCH_ROUNDS rounds,
// every other round in the reverse order (A B B A): this machine's speed drifts by a quarter within minutes (other
// tenants of its host), and a page is compared with the floor, and two processes with one, within each round.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const floorOne = await floor(1);
const floorTwo = await floor(2);
const one = await portal(1);
const two = await portal(2);
const cookie = await signIn(one.url);
const cookieTwo = await signIn(two.url);
const LIST = "GET /profile/representative (signed in)";
const plan: Array<[string, () => Promise<Load>]> = [
  ["floor, 1 process: GET /", () => load(`${floorOne.url}/`, floorOne.child)],
  ["portal, 1 process: GET /login", () => load(`${one.url}/login`, one.child)],
  ["portal, 1 process: GET /", () => load(`${one.url}/`, one.child)],
  [`portal, 1 process: ${LIST}`, () => load(`${one.url}/profile/representative`, one.child, { Cookie: cookie })],
  ["floor, 2 processes: GET /", () => load(`${floorTwo.url}/`, floorTwo.child)],
  ["portal, WEB_CONCURRENCY=2: GET /login", () => load(`${two.url}/login`, two.child)],
  [
    `portal, WEB_CONCURRENCY=2: ${LIST}`,
    () => load(`${two.url}/profile/representative`, two.child, { Cookie: cookieTwo }),
  ],
];
const runs = new Map<string, Load[]>(plan.map(([name]) => [name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, measure] of round % 2 ? [...plan].reverse() : plan) runs.get(name)!.push(await measure());
  }
} finally {
  // A failed measurement (an answer that was not 2xx) leaves no server behind.
  for (const server of [one, two, floorOne, floorTwo]) await stop(server.child);
  for (const d of [one.dir, two.dir]) fs.rmSync(d, { recursive: true, force: true });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Per round, a / b of req/s (both measured in that round). */
const ratios = (a: string, b: string) => runs.get(a)!.map((r, i) => r.rps / runs.get(b)![i].rps);
const listed = (xs: number[], f: (x: number) => string) => `${xs.map(f).join(", ")} (mean ${f(mean(xs))})`;
const share = (x: number) => `${(x * 100).toFixed(0)} %`;
const times = (x: number) => `${x.toFixed(2)} ×`;
console.log(
  `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}; load: ${LOAD_GENERATOR}, ${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up; ${ROUNDS} rounds\n`,
);
console.log(
  `| request | req/s, round by round | p50 / p99 ms (last round) | server CPU ms a request (mean) |\n|---|---:|---:|---:|`,
);
for (const [name, loads] of runs) {
  const last = loads[loads.length - 1];
  const cpu = loads.map((l) => l.cpuMs).filter((x): x is number => x !== undefined);
  console.log(
    `| ${name} | ${loads.map((l) => l.rps.toFixed(0)).join(" · ")} | ${last.p50} / ${last.p99} | ${cpu.length ? mean(cpu).toFixed(2) : "–"} |`,
  );
}
console.log("");
for (const page of ["GET /login", "GET /", LIST])
  console.log(
    `share of the floor, 1 process, ${page}: ${listed(ratios(`portal, 1 process: ${page}`, "floor, 1 process: GET /"), share)}`,
  );
console.log(
  `2 processes / 1 process, the floor's GET /: ${listed(ratios("floor, 2 processes: GET /", "floor, 1 process: GET /"), times)}`,
);
for (const page of ["GET /login", LIST])
  console.log(
    `2 processes / 1 process, ${page}: ${listed(ratios(`portal, WEB_CONCURRENCY=2: ${page}`, `portal, 1 process: ${page}`), times)}`,
  );
