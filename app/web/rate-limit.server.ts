// Rate limits kept in the database, so every server process counts the same hits: a window of windowMs that
// slides by the second (rate_limit_hits holds each bucket's hits per second; a hit leaves the window when the whole
// second it fell in has, so up to a second before windowMs has passed since it).
import { sql } from "kysely";
import { withoutWaitingForDisk, type DbOrTx } from "../../db/index.server";
import type { Clock } from "../clock.server";

export interface RateLimit {
  /** What is limited and for whom, e.g. "resend:ivanova@example.ru" or "login-ip:10.0.0.1". */
  bucket: string;
  max: number;
  windowMs: number;
}

/** Records one hit and tells whether it is still within the limit. */
export async function takeRateLimitHit(db: DbOrTx, clock: Clock, limit: RateLimit): Promise<boolean> {
  const now = clock.now();
  const second = `${now.toISOString().slice(0, 19)}.000Z`;
  const since = new Date(now.getTime() - limit.windowMs).toISOString();
  // One statement counts the window and records the hit when there is room; the record is a counter, so its
  // commit need not wait for the disk.
  const taken = await withoutWaitingForDisk(db, (w) =>
    sql<{ one: number }>`INSERT INTO rate_limit_hits (bucket, at, hits) SELECT ${limit.bucket}, ${second}, 1
      WHERE (SELECT coalesce(sum(hits), 0) FROM rate_limit_hits WHERE bucket = ${limit.bucket} AND at > ${since}) < ${limit.max}
      ON CONFLICT (bucket, at) DO UPDATE SET hits = rate_limit_hits.hits + 1
      RETURNING 1 AS one`.execute(w),
  );
  return taken.rows.length > 0;
}

export async function pruneRateLimitHits(db: DbOrTx, clock: Clock, olderThanMs = 24 * 3600_000): Promise<void> {
  const before = new Date(clock.now().getTime() - olderThanMs).toISOString();
  await db.deleteFrom("rate_limit_hits").where("at", "<", before).execute();
}
