// Fixed-window rate limits kept in the database, so every server process counts the same hits.
import type { DbOrTx } from "../../db/index.server";
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
  const since = new Date(now.getTime() - limit.windowMs).toISOString();
  const row = await db
    .selectFrom("rate_limit_hits")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("bucket", "=", limit.bucket)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= limit.max) return false;
  await db.insertInto("rate_limit_hits").values({ bucket: limit.bucket, at: now.toISOString() }).execute();
  return true;
}

export async function pruneRateLimitHits(db: DbOrTx, clock: Clock, olderThanMs = 24 * 3600_000): Promise<void> {
  const before = new Date(clock.now().getTime() - olderThanMs).toISOString();
  await db.deleteFrom("rate_limit_hits").where("at", "<", before).execute();
}
