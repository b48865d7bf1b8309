// Every setting of the portal, read from the environment once and checked with zod.
// A bad value stops the start with an error that names the variable.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const settingsSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  APP_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// address" }).optional(),
  DATABASE_URL: z.string().min(1).default("db/portal.sqlite"),
  UPLOADS_DIR: z.string().min(1).default("uploads"),
  MAIL_DIR: z.string().min(1).default("emails"),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// address" }).optional(),
  MAIL_FROM: z.string().min(3).default("СЭДО-шлюз <noreply@sedo-gateway.local>"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SEED_DEMO: booleanFlag.default(true),
  TRUST_PROXY: booleanFlag.default(false),
  MAIL_POLL_SECONDS: z.coerce.number().positive().default(2),
  JOBS_INTERVAL_SECONDS: z.coerce.number().positive().default(600),
  API_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  CRL_REFRESH_HOURS: z.coerce.number().min(0).default(6),
  /** Server processes sharing the port (node:cluster); 1 = one process, as before. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  TEST_CLOCK: z.iso.datetime({ error: "must be an ISO date-time such as 2026-11-23T09:00:00Z" }).optional(),
});

export type DatabaseKind = "sqlite" | "postgres";

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  appUrl: string;
  secureCookies: boolean;
  databaseUrl: string;
  databaseKind: DatabaseKind;
  uploadsDir: string;
  mailDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string;
  seedDemo: boolean;
  trustProxy: boolean;
  mailPollMs: number;
  /** How often the scheduled jobs (expiry, reminders, digests, pruning) run. */
  jobsIntervalMs: number;
  /** Requests one representative's API tokens may make in a minute, together. */
  apiRequestsPerMinute: number;
  /** How often each CRL distribution point is read (0: never, for machines without network; load .crl files). */
  crlRefreshMs: number;
  webConcurrency: number;
  /** Only with NODE_ENV=test: the server's clock starts at this moment (browser tests on fixed dates). */
  testClockStart: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function databaseKindOf(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** Parses the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as they do in most .env files.
  const cleaned = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const parsed = settingsSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      return `  ${name}=${JSON.stringify(env[name] ?? "")}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid settings in the environment:\n${lines.join("\n")}`);
  }
  const s = parsed.data;
  const appUrl = (s.APP_URL ?? `http://localhost:${s.PORT}`).replace(/\/+$/, "");
  const databaseKind = databaseKindOf(s.DATABASE_URL);
  return {
    env: s.NODE_ENV,
    port: s.PORT,
    appUrl,
    secureCookies: appUrl.startsWith("https://"),
    databaseUrl: s.DATABASE_URL,
    databaseKind,
    uploadsDir: path.resolve(s.UPLOADS_DIR),
    mailDir: path.resolve(s.MAIL_DIR),
    smtpUrl: s.SMTP_URL,
    mailFrom: s.MAIL_FROM,
    sessionSecret: s.SESSION_SECRET ?? persistentSecret(s.DATABASE_URL, databaseKind),
    seedDemo: s.SEED_DEMO,
    trustProxy: s.TRUST_PROXY,
    mailPollMs: Math.round(s.MAIL_POLL_SECONDS * 1000),
    jobsIntervalMs: Math.round(s.JOBS_INTERVAL_SECONDS * 1000),
    apiRequestsPerMinute: s.API_REQUESTS_PER_MINUTE,
    crlRefreshMs: Math.round(s.CRL_REFRESH_HOURS * 3_600_000),
    webConcurrency: s.WEB_CONCURRENCY,
    testClockStart: s.NODE_ENV === "test" ? s.TEST_CLOCK : undefined,
  };
}

/**
 * With no SESSION_SECRET, a random secret is made once and kept beside the database (mode 0600),
 * so restarts keep sessions and no default secret is ever shipped. For PostgreSQL the file lives
 * in db/ of the working directory; several servers must then share SESSION_SECRET explicitly.
 */
function persistentSecret(databaseUrl: string, kind: DatabaseKind): string {
  const dir = kind === "sqlite" ? path.dirname(path.resolve(databaseUrl)) : path.resolve("db");
  const file = path.join(dir, "session-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  fs.mkdirSync(dir, { recursive: true });
  const secret = crypto.randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    // Another process won the race: use its secret.
    return fs.readFileSync(file, "utf8").trim();
  }
}
