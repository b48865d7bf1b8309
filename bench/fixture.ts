// What the HTTP benchmarks share: a representative (password, current certificate, API token) with approved
// proxies for N generated organisations, and the real HTTP app on loopback over the bench database.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { loadConfig } from "../app/config.server";
import { ManualClock } from "../app/clock.server";
import { hashPassword } from "../app/accounts/passwords.server";
import { sha256Hex } from "../app/accounts/tokens.server";
import { generateRegistry } from "../app/organizations/generator";
import { upsertOrganizations, type RegistryEntry } from "../app/organizations/registry.server";
import { migrateToLatest } from "../db/migrate.server";
import { seedTerritorialBodies } from "../db/seed/registry.server";
import { createApp, loadBuild } from "../server";
import { openBenchDatabase } from "./database";

export const BENCH_NOW = "2026-11-23T09:00:00.000Z";
export const BENCH_PASSWORD = "Bench-2026!";

export interface BenchPortal {
  url: string;
  label: string;
  db: Awaited<ReturnType<typeof openBenchDatabase>>["handle"]["db"];
  userId: number;
  email: string;
  token: string;
  organizations: RegistryEntry[];
  /** The portal's UPLOADS_DIR (report files, receipts). */
  uploadsDir: string;
  close(): Promise<void>;
}

export async function startBenchPortal(organizationCount: number): Promise<BenchPortal> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-bench-app-"));
  const bench = await openBenchDatabase();
  const db = bench.handle.db;
  await migrateToLatest(db);
  await seedTerritorialBodies(db);
  const organizations = [...generateRegistry(organizationCount, [{ code: "7700", region: "г. Москва" }], 11)];
  for (let i = 0; i < organizations.length; i += 1000) await upsertOrganizations(db, organizations.slice(i, i + 1000));
  const email = `bench.${Date.now()}@example.ru`;
  const user = await db
    .insertInto("users")
    .values({
      role: "representative",
      surname: "Иванова",
      given_name: "Мария",
      patronymic: "Петровна",
      email,
      password_hash: await hashPassword(BENCH_PASSWORD),
      status: "active",
      territorial_body_code: null,
      locked_until: null,
      created_at: BENCH_NOW,
      confirmed_at: BENCH_NOW,
      password_changed_at: BENCH_NOW,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
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
      // Accepted with its chain checked to an accredited CA (what the upload does since migration 0011).
      verified_at: BENCH_NOW,
      uploaded_at: BENCH_NOW,
      replaced_at: null,
      reminded_30_at: null,
      reminded_7_at: null,
    })
    .execute();
  const ids = await db.selectFrom("organizations").select("id").orderBy("id").execute();
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .insertInto("proxies")
      .values(
        ids.slice(i, i + 500).map((o) => ({
          representative_id: user.id,
          organization_id: o.id,
          office_code: "7700",
          status: "approved" as const,
          valid_from: "2026-01-01",
          valid_to: "2027-12-31",
          poa_file_id: null,
          submitted_at: BENCH_NOW,
          sla_due_at: BENCH_NOW,
          decided_at: BENCH_NOW,
          decided_by: null,
          rejection_reason: null,
          paper_copy_received_at: "2026-11-20",
          created_at: BENCH_NOW,
          withdrawn_at: null,
          expiry_reminded_30_at: null,
          expiry_reminded_7_at: null,
        })),
      )
      .execute();
  }
  const token = "sedo_" + crypto.randomBytes(32).toString("base64url");
  await db
    .insertInto("api_tokens")
    .values({
      user_id: user.id,
      name: "bench",
      token_hash: sha256Hex(token),
      prefix: token.slice(0, 12),
      created_at: BENCH_NOW,
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
    createApp({
      config,
      database: bench.handle,
      clock: new ManualClock(BENCH_NOW),
      build: await loadBuild(),
      log: () => {},
    }),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    label: bench.label,
    db,
    userId: user.id,
    email,
    token,
    organizations,
    uploadsDir: config.uploadsDir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await bench.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A ЕФС-1 file of about 26 KB (section 2 and 90 insured persons of subsection 1.1), as accounting software writes it. */
export function efs1Report(org: RegistryEntry, period: string, year = 2026): Buffer {
  const sfr = org.sfrRegnum ?? "";
  const persons = Array.from(
    { length: 90 },
    (_, i) =>
      `<ЗЛ><УТ8:ФИО><УТ8:Фамилия>Работник${i}</УТ8:Фамилия><УТ8:Имя>Иван</УТ8:Имя></УТ8:ФИО><УТ8:СНИЛС>112-233-445 95</УТ8:СНИЛС><Мероприятие><Вид>1</Вид><Дата>2026-02-01</Дата></Мероприятие></ЗЛ>`,
  ).join("");
  return Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><ЭДСФР xmlns="http://пф.рф/ЕФС-1/2026-01-01" xmlns:УТ8="http://пф.рф/УТ/2025-01-01" xmlns:ЕФС8="http://пф.рф/ВС/ЕФС/2026-01-01">` +
      `<ЕФС-1><Страхователь><ЕФС8:РегНомер>${sfr.slice(0, 3)}-${sfr.slice(3, 6)}-${sfr.slice(6)}</ЕФС8:РегНомер><УТ8:ИНН>${org.inn}</УТ8:ИНН>${org.kpp ? `<УТ8:КПП>${org.kpp}</УТ8:КПП>` : ""}</Страхователь>` +
      `${persons}<ОСС><НомерКорректировки>000</НомерКорректировки><Период><Код>${period}</Код><Год>${year}</Год></Период></ОСС><ДатаЗаполнения>2026-10-10</ДатаЗаполнения></ЕФС-1></ЭДСФР>`,
    "utf8",
  );
}

export function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}
