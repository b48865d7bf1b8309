// The HTTP app in-process on a real database, with a manual clock and a real SMTP server on loopback.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { loadConfig, type Config } from "../../app/config.server";
import { ManualClock } from "../../app/clock.server";
import { deliverDueMail } from "../../app/mail/outbox.server";
import { createSmtpTransport, type MailTransport } from "../../app/mail/transport.server";
import { createApp, loadBuild } from "../../server";
import { seedRegistry } from "../../db/seed/registry.server";
import { createTestDatabase, tempDir, type DatabaseKindName, type TestDatabase } from "./databases";
import { TestSmtpServer } from "./smtp";
import { trustTestCa } from "./trust";
import type { MchdRegistry } from "../../app/proxies/mchd-registry.server";

export interface TestApp {
  url: string;
  config: Config;
  clock: ManualClock;
  database: TestDatabase;
  smtp: TestSmtpServer;
  logs: string[];
  /** Runs the outbox sender once, as the background job would. */
  deliverMail(): Promise<{ sent: number; failed: number }>;
  close(): Promise<void>;
}

export async function startTestApp(
  kind: DatabaseKindName,
  options: {
    start?: string;
    registrySize?: number;
    env?: Record<string, string>;
    trustTestCa?: boolean;
    mchdRegistry?: MchdRegistry;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  if (options.registrySize !== undefined) await seedRegistry(database.handle.db, options.registrySize, 7);
  const smtp = new TestSmtpServer();
  await smtp.start(0);
  const clock = new ManualClock(options.start ?? "2026-11-23T09:00:00.000Z");
  // The test CA of tests/fixtures/certs is on the trust list, as an administrator would load it.
  if (options.trustTestCa ?? true) await trustTestCa(database.handle.db, clock);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = tempDir("sedo-app-");
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    UPLOADS_DIR: path.join(dir, "uploads"),
    MAIL_DIR: path.join(dir, "emails"),
    SMTP_URL: smtp.url,
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
    ...options.env,
  });
  const logs: string[] = [];
  const app = createApp({
    config,
    database: database.handle,
    clock,
    build: await loadBuild(),
    log: (l) => logs.push(l),
    mchdRegistry: options.mchdRegistry,
  });
  server.on("request", app);
  let transport: MailTransport = createSmtpTransport(smtp.url, "127.0.0.1");
  return {
    url: config.appUrl,
    config,
    clock,
    database,
    smtp,
    logs,
    async deliverMail() {
      // The SMTP server may have been restarted on the same port: a fresh transport each run.
      transport.close();
      transport = createSmtpTransport(`smtp://127.0.0.1:${smtp.port}`, "127.0.0.1");
      return deliverDueMail(database.handle.db, clock, transport, {
        from: config.mailFrom,
        uploadsDir: config.uploadsDir,
      });
    },
    async close() {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await smtp.stop();
      await database.dispose();
    },
  };
}
