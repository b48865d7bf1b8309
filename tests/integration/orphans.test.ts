// The start-up sweep: stored files of every kind without a row, an hour old, are removed; temporary uploads an
// hour old too; nothing younger (another process's upload in flight) is touched; a start never wipes the
// temporary folder of a process already running.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase, tempDir } from "../support/databases";
import { madeFilePath, storeFile, sweepOrphanUploads } from "../../app/web/stored-files.server";
import { loadConfig } from "../../app/config.server";
import { ManualClock } from "../../app/clock.server";
import { prepare } from "../../server";

const write = (file: string, text: string, ageMs = 0) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(file, at, at);
};
const HOURS_2 = 2 * 3600_000;

describe("orphan sweep", () => {
  it("removes PDFs, report files, receipts and temporary uploads without a row once an hour old, and keeps the rest", async () => {
    const database = await createTestDatabase("sqlite");
    const db = database.handle.db;
    const dir = tempDir();
    write(path.join(dir, "poa/2026-11/orphan-old.pdf"), "%PDF-", HOURS_2);
    write(path.join(dir, "poa/2026-11/orphan-new.pdf"), "%PDF-");
    write(path.join(dir, "poa/2026-11/kept.pdf"), "%PDF-", HOURS_2);
    write(path.join(dir, "reports/2026-11/orphan-old.xml"), "<a/>", HOURS_2);
    write(path.join(dir, "reports/2026-11/kept.xml"), "<a/>", HOURS_2);
    write(path.join(dir, ".incoming/111-dead/abandoned"), "x", HOURS_2);
    write(path.join(dir, ".incoming/222-live/in-flight"), "x");
    const now = new Date().toISOString();
    const user = await db
      .insertInto("users")
      .values({
        role: "representative",
        surname: "А",
        given_name: "Б",
        patronymic: "",
        email: "o@e.ru",
        password_hash: "x",
        status: "active",
        territorial_body_code: null,
        locked_until: null,
        created_at: now,
        confirmed_at: now,
        password_changed_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db
      .insertInto("files")
      .values({
        kind: "poa",
        owner_id: user.id,
        sha256: "x",
        size: 5,
        pages: 1,
        original_name: "k.pdf",
        stored_path: path.join("poa", "2026-11", "kept.pdf"),
        created_at: now,
      })
      .execute();
    const submission = await db
      .insertInto("report_submissions")
      .values({
        representative_id: user.id,
        organization_id: null,
        proxy_id: null,
        regnum: null,
        period: null,
        year: null,
        status: "accepted",
        reason: null,
        receipt_number: "x",
        received_at: now,
        sha256: "x",
        size: 4,
        original_name: "kept.xml",
        stored_path: path.join("reports", "2026-11", "kept.xml"),
        via: "api",
        form: "EFS-1",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Receipts are kept at the path their submission's id gives: one of an accepted submission stays; one of no
    // submission, and a temporary file a crash left beside a kept one, go.
    const keptReceipt = madeFilePath("", "receipts", submission.id);
    write(path.join(dir, keptReceipt), "%PDF-", HOURS_2);
    write(path.join(dir, madeFilePath("", "receipts", 4_242_001)), "%PDF-", HOURS_2);
    const halfWritten = path.join(path.dirname(keptReceipt), `${submission.id}.a1b2c3d4e5f6.pdf`);
    write(path.join(dir, halfWritten), "%PD", HOURS_2);
    const removed = await sweepOrphanUploads(db, dir);
    expect(removed.sort()).toEqual(
      [
        path.join("poa", "2026-11", "orphan-old.pdf"),
        path.join("reports", "2026-11", "orphan-old.xml"),
        path.join(".incoming", "111-dead", "abandoned"),
        path.join("receipts", "4242", "4242001.pdf"),
        halfWritten,
      ].sort(),
    );
    expect(fs.existsSync(path.join(dir, keptReceipt))).toBe(true);
    expect(fs.readdirSync(path.join(dir, "poa/2026-11")).sort()).toEqual(["kept.pdf", "orphan-new.pdf"]);
    expect(fs.readdirSync(path.join(dir, "reports/2026-11"))).toEqual(["kept.xml"]);
    expect(fs.existsSync(path.join(dir, ".incoming/222-live/in-flight"))).toBe(true);
    await database.dispose();
  });

  it("stores every kind under a random name in its folder by month, and sweeps one whose row never came", async () => {
    const database = await createTestDatabase("sqlite");
    const dir = tempDir();
    const now = new Date("2026-11-23T09:00:00.000Z");
    const report = await storeFile(dir, "reports", { bytes: Buffer.from("<a/>") }, now);
    expect(report.relative).toMatch(/^reports\/2026-11\/[0-9a-f]{32}\.xml$/);
    const temp = path.join(dir, "upload.tmp");
    write(temp, "%PDF-1.7");
    const poa = await storeFile(dir, "poa", { tempPath: temp }, now);
    expect(poa.relative).toMatch(/^poa\/2026-11\/[0-9a-f]{32}\.pdf$/);
    expect(fs.existsSync(temp)).toBe(false);
    expect(await sweepOrphanUploads(database.handle.db, dir)).toEqual([]); // too young
    const old = new Date(Date.now() - HOURS_2);
    for (const f of [report.absolute, poa.absolute]) fs.utimesSync(f, old, old);
    expect((await sweepOrphanUploads(database.handle.db, dir)).sort()).toEqual([poa.relative, report.relative].sort());
    await database.dispose();
  });

  it("a second process starting on the same folders leaves the first one's upload in flight alone", async () => {
    const database = await createTestDatabase("sqlite");
    const dir = tempDir();
    const inFlight = path.join(dir, "uploads", ".incoming", "4242-running", "a1b2c3");
    write(inFlight, "half of a PDF");
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: database.url,
      UPLOADS_DIR: path.join(dir, "uploads"),
      MAIL_DIR: path.join(dir, "emails"),
      SESSION_SECRET: "s".repeat(40),
      SEED_DEMO: "false",
    });
    await prepare(config, database.handle, new ManualClock("2026-11-23T09:00:00.000Z"));
    expect(fs.readFileSync(inFlight, "utf8")).toBe("half of a PDF");
    await database.dispose();
  });
});
