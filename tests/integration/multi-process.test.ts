// Two server processes on one PostgreSQL database and one set of folders, as behind a load balancer: every
// letter of the outbox is sent once, a reminder is queued once, and each process starts without disturbing the
// other. Runs when TEST_DATABASE_URL is set (CI), because SQLite is the one-process embedded default.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, tempDir, type TestDatabase } from "../support/databases";
import { startPortal, type RunningPortal } from "../e2e/support";
import { ManualClock } from "../../app/clock.server";
import { enqueueMail } from "../../app/mail/outbox.server";
import { createActiveUser } from "../support/users";

describe.skipIf(!process.env.TEST_DATABASE_URL)("two processes on one PostgreSQL", () => {
  let database: TestDatabase;
  let portals: RunningPortal[] = [];
  const dir = tempDir("sedo-two-");
  beforeAll(async () => {
    database = await createTestDatabase("postgres");
    const db = database.handle.db;
    const clock = new ManualClock("2026-11-23T09:00:00.000Z");
    const user = await createActiveUser(db, { surname: "Двойная", givenName: "Анна", patronymic: "" });
    // A certificate that expires in five days: one «7 дней» reminder is due.
    await db
      .insertInto("certificates")
      .values({
        user_id: user.id,
        sha1: "C".repeat(40),
        sha256: "D".repeat(64),
        serial: "02",
        issuer: "CN=x",
        issuer_cn: "x",
        holder_surname: "Двойная",
        holder_given_name: "Анна",
        holder_patronymic: "",
        subject: "{}",
        snils: null,
        inn: null,
        not_before: "2026-01-01T00:00:00.000Z",
        not_after: "2026-11-28T09:00:00.000Z",
        algorithm: "gost2012-256",
        der: Buffer.from([0x30]),
        status: "current",
        uploaded_at: "2026-01-01T00:00:00.000Z",
        replaced_at: null,
        reminded_30_at: "2026-11-01T00:00:00.000Z",
        reminded_7_at: null,
      })
      .execute();
    for (let i = 0; i < 40; i++) {
      await enqueueMail(db, clock, {
        recipient: `reader${i}@example.ru`,
        purpose: "test",
        subject: `Письмо ${i}`,
        text: `Текст ${i}`,
        html: `<p>Текст ${i}</p>`,
      });
    }
    const env = {
      DATABASE_URL: database.url,
      UPLOADS_DIR: path.join(dir, "uploads"),
      MAIL_DIR: path.join(dir, "emails"),
      SESSION_SECRET: "shared-secret-shared-secret-shared-secret-01",
      SEED_DEMO: "false",
      MAIL_POLL_SECONDS: "0.1",
      JOBS_INTERVAL_SECONDS: "0.3",
    };
    portals = await Promise.all([
      startPortal({ env, dir: path.join(dir, "a") }),
      startPortal({ env, dir: path.join(dir, "b") }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(portals.map((p) => p.stop()));
    await database?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sends every letter once and queues the reminder once, whichever process gets there first", async () => {
    const db = database.handle.db;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pending = await db.selectFrom("outbox").select("id").where("status", "!=", "sent").execute();
      const reminder = await db
        .selectFrom("outbox")
        .select("id")
        .where("purpose", "like", "certificate-expiry%")
        .execute();
      if (!pending.length && reminder.length) break;
      if (Date.now() > deadline)
        throw new Error(`still pending: ${pending.length}\n${portals.map((p) => p.output()).join("\n")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Both processes keep polling for a while: nothing may be sent or queued again.
    await new Promise((r) => setTimeout(r, 1500));
    const rows = await db.selectFrom("outbox").select(["status", "attempts", "purpose"]).execute();
    expect(rows).toHaveLength(41);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    expect(rows.filter((r) => r.purpose.startsWith("certificate-expiry"))).toHaveLength(1);
    const letters = fs.readdirSync(path.join(dir, "emails")).filter((f) => f.endsWith(".eml"));
    expect(letters).toHaveLength(41);
    // Both processes served requests all along.
    for (const p of portals) expect((await fetch(p.url + "/login")).status).toBe(200);
  }, 60_000);
});
