// Rate limits on each database: a window that slides by the second, shared by every server process through the
// database (one row per bucket and second), and migration 0020 carrying the hits recorded one row each over.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/databases";
import { ManualClock } from "../../app/clock.server";
import { pruneRateLimitHits, takeRateLimitHit } from "../../app/web/rate-limit.server";
import { migrateTo, migrateToLatest } from "../../db/migrate.server";

describe.each(databaseKinds)("rate limits on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.dispose();
  });
  const db = () => database.handle.db;

  it("allows max hits in the window, refuses the next, and allows again once the first second has left it", async () => {
    const clock = new ManualClock("2026-11-23T09:00:00.250Z");
    const limit = { bucket: "api:1", max: 3, windowMs: 60_000 };
    const take = () => takeRateLimitHit(db(), clock, limit);
    expect(await take()).toBe(true);
    expect(await take()).toBe(true); // the same second: one row, two hits
    clock.set("2026-11-23T09:00:20.900Z");
    expect(await take()).toBe(true);
    expect(await take()).toBe(false); // the fourth in a minute
    expect(await takeRateLimitHit(db(), clock, { ...limit, bucket: "api:2" })).toBe(true); // another bucket
    const rows = await db()
      .selectFrom("rate_limit_hits")
      .select(["at", "hits"])
      .where("bucket", "=", "api:1")
      .orderBy("at")
      .execute();
    expect(rows).toEqual([
      { at: "2026-11-23T09:00:00.000Z", hits: 2 },
      { at: "2026-11-23T09:00:20.000Z", hits: 1 },
    ]); // a refused hit is not recorded
    clock.set("2026-11-23T09:00:59.999Z");
    expect(await take()).toBe(false); // the first two still in the window
    clock.set("2026-11-23T09:01:00.000Z");
    expect(await take()).toBe(true); // their second has left it: room for two
    expect(await take()).toBe(true);
    expect(await take()).toBe(false);
    clock.set("2026-11-23T09:01:20.001Z");
    expect(await take()).toBe(true);
  });

  it("counts hits racing from many requests at once exactly (one row per second, no hit lost or doubled)", async () => {
    const clock = new ManualClock("2026-11-23T10:00:00.000Z");
    const limit = { bucket: "race", max: 1000, windowMs: 60_000 };
    const taken = await Promise.all(Array.from({ length: 40 }, () => takeRateLimitHit(db(), clock, limit)));
    expect(taken.every(Boolean)).toBe(true);
    const row = await db().selectFrom("rate_limit_hits").select("hits").where("bucket", "=", "race").execute();
    expect(row).toEqual([{ hits: 40 }]);
  });

  it("prunes seconds older than a day", async () => {
    const clock = new ManualClock("2026-11-23T09:00:00.000Z");
    await takeRateLimitHit(db(), clock, { bucket: "old", max: 5, windowMs: 60_000 });
    clock.set("2026-11-24T09:00:01.000Z");
    await takeRateLimitHit(db(), clock, { bucket: "old", max: 5, windowMs: 60_000 });
    await pruneRateLimitHits(db(), clock);
    const left = await db().selectFrom("rate_limit_hits").select("at").where("bucket", "=", "old").execute();
    expect(left).toEqual([{ at: "2026-11-24T09:00:01.000Z" }]);
  });
});

describe.each(databaseKinds)("migration 0020 on %s", (kind) => {
  it("carries the hits recorded one row each over, summed by second, and they still count", async () => {
    const database = await createTestDatabase(kind, false);
    try {
      const db = database.handle.db;
      await migrateTo(db, "0019_receipt_files");
      for (const at of ["2026-11-23T09:00:00.100Z", "2026-11-23T09:00:00.900Z", "2026-11-23T09:00:30.000Z"])
        await sql`INSERT INTO rate_limit_hits (bucket, at) VALUES (${"sign-in-ip:10.0.0.1"}, ${at})`.execute(db);
      await migrateToLatest(db);
      const rows = await db.selectFrom("rate_limit_hits").select(["bucket", "at", "hits"]).orderBy("at").execute();
      expect(rows).toEqual([
        { bucket: "sign-in-ip:10.0.0.1", at: "2026-11-23T09:00:00.000Z", hits: 2 },
        { bucket: "sign-in-ip:10.0.0.1", at: "2026-11-23T09:00:30.000Z", hits: 1 },
      ]);
      const clock = new ManualClock("2026-11-23T09:00:40.000Z");
      expect(await takeRateLimitHit(db, clock, { bucket: "sign-in-ip:10.0.0.1", max: 3, windowMs: 60_000 })).toBe(
        false,
      );
    } finally {
      await database.dispose();
    }
  });
});
