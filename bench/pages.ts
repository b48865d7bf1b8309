// npm run bench:pages: requests/s of pages through the real HTTP stack, side by side in one run with the floor —
// a one-route Remix 2 app behind bare Express (bench/floor) — so the portal's own per-request cost shows as a share
// of what Remix itself allows on this machine. autocannon, BENCH_CONNECTIONS (20) connections for BENCH_SECONDS (10)
// each, no compression asked (the handler's cost, not zlib's). The portal runs with its embedded demo database, once
// as one process and once with WEB_CONCURRENCY=2.
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
const floorPort = await freePort();
const floor = start(["bench/floor/server.mjs"], { PORT: String(floorPort), NODE_ENV: "production" });
await waitFor(`http://127.0.0.1:${floorPort}/`, floor.child, floor.output);

// The floor is measured before and after the portal's single process, and the portal is compared with the mean
// of the two: the machine's speed drifts over a run (other tenants of its host).
const rows: Array<[string, Load]> = [];
const floorBefore = await load(`http://127.0.0.1:${floorPort}/`, floor.child);
rows.push(["floor: one-route Remix app, GET / (before)", floorBefore]);
const one = await portal(1);
const cookie = await signIn(one.url);
rows.push(["portal, 1 process: GET /login", await load(`${one.url}/login`, one.child)]);
rows.push(["portal, 1 process: GET /", await load(`${one.url}/`, one.child)]);
rows.push([
  "portal, 1 process: GET /profile/representative (signed in)",
  await load(`${one.url}/profile/representative`, one.child, { Cookie: cookie }),
]);
const floorAfter = await load(`http://127.0.0.1:${floorPort}/`, floor.child);
rows.push(["floor: one-route Remix app, GET / (after)", floorAfter]);
await stop(one.child);
await stop(floor.child);
const two = await portal(2);
const cookieTwo = await signIn(two.url);
rows.push(["portal, WEB_CONCURRENCY=2: GET /login", await load(`${two.url}/login`, two.child)]);
rows.push([
  "portal, WEB_CONCURRENCY=2: GET /profile/representative (signed in)",
  await load(`${two.url}/profile/representative`, two.child, { Cookie: cookieTwo }),
]);
await stop(two.child);

const floorRps = (floorBefore.rps + floorAfter.rps) / 2;
const rpsOf = (name: string) => rows.find(([n]) => n === name)![1].rps;
console.log(
  `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}; load: ${LOAD_GENERATOR}, ${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up\n`,
);
const floorCpu = ((floorBefore.cpuMs ?? 0) + (floorAfter.cpuMs ?? 0)) / 2;
console.log(
  "| request | req/s | share of the floor (mean of both runs) | p50 ms | p99 ms | server CPU ms a request (floor's / this) |\n|---|---:|---:|---:|---:|---:|",
);
for (const [name, r] of rows)
  console.log(
    `| ${name} | ${r.rps.toFixed(0)} | ${((r.rps / floorRps) * 100).toFixed(0)} % | ${r.p50} | ${r.p99} | ${r.cpuMs ? `${r.cpuMs.toFixed(2)} (${((floorCpu / r.cpuMs) * 100).toFixed(0)} %)` : "–"} |`,
  );
for (const page of ["GET /login", "GET /profile/representative (signed in)"])
  console.log(
    `2 processes / 1 process on ${page}: ${(rpsOf(`portal, WEB_CONCURRENCY=2: ${page}`) / rpsOf(`portal, 1 process: ${page}`)).toFixed(2)} ×`,
  );
for (const d of [one.dir, two.dir]) fs.rmSync(d, { recursive: true, force: true });
