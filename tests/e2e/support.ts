// Starts the real server (tsx server.ts) with the embedded defaults in a temporary folder, and
// Debian's Chromium through playwright-core. Letters are read back from the .eml files.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { simpleParser } from "mailparser";
import { tempDir } from "../support/databases";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPortal {
  url: string;
  mailDir: string;
  stop(): Promise<void>;
  output(): string;
}

/** The real server in a process of its own; `env` adds or overrides settings (another database, shared folders). */
export async function startPortal(
  options: { env?: Record<string, string>; dir?: string } = {},
): Promise<RunningPortal> {
  const dir = options.dir ?? tempDir("sedo-e2e-");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const mailDir = path.join(dir, "emails");
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      ...process.env,
      NODE_ENV: "test",
      TEST_CLOCK: "2026-11-23T09:00:00Z",
      PORT: String(port),
      APP_URL: url,
      DATABASE_URL: path.join(dir, "db", "portal.sqlite"),
      UPLOADS_DIR: path.join(dir, "uploads"),
      MAIL_DIR: mailDir,
      SMTP_URL: "",
      MAIL_POLL_SECONDS: "0.2",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited:\n${output}`);
    try {
      const res = await fetch(url + "/");
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`The portal did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    mailDir,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** Waits for the letter to an address in the mail folder and returns its text. */
export async function waitForLetter(
  mailDir: string,
  to: string,
  timeoutMs = 15_000,
  subjectIncludes = "",
): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith(".eml")) : [];
    for (const f of files.sort().reverse()) {
      const parsed = await simpleParser(fs.readFileSync(path.join(mailDir, f)));
      const addr = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
      if (addr?.value[0]?.address === to && (parsed.subject ?? "").includes(subjectIncludes))
        return { subject: parsed.subject ?? "", text: parsed.text ?? "" };
    }
    if (Date.now() > deadline) throw new Error(`No letter to ${to} in ${mailDir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Opens a row's «Действия» menu in the list of organisations and presses one of its buttons. */
export async function rowAction(row: import("playwright-core").Locator, name: string): Promise<void> {
  const menu = row.locator("details.menu");
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator("summary").click();
  await row.getByRole("button", { name }).click();
}
