// One-time e-mail tokens (confirmation, password reset): 256 random bits, stored only as SHA-256.
import crypto from "node:crypto";
import type { DbOrTx } from "../../db/index.server";
import type { TokenPurpose } from "../../db/schema";
import type { Clock } from "../clock.server";

export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  confirm: 24 * 3600_000,
  reset: 3600_000,
  /** An operator's first password: three days to follow the link. */
  invite: 72 * 3600_000,
};

export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export async function issueEmailToken(
  db: DbOrTx,
  clock: Clock,
  userId: number,
  purpose: TokenPurpose,
): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = clock.now();
  await db
    .insertInto("email_tokens")
    .values({
      user_id: userId,
      purpose,
      token_hash: sha256Hex(token),
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type TokenCheck =
  | { state: "valid"; tokenId: number; userId: number }
  | { state: "unknown" }
  | { state: "used"; userId: number }
  | { state: "expired"; userId: number };

export async function checkEmailToken(
  db: DbOrTx,
  clock: Clock,
  token: string,
  purpose: TokenPurpose,
): Promise<TokenCheck> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: "unknown" };
  const row = await db
    .selectFrom("email_tokens")
    .selectAll()
    .where("token_hash", "=", sha256Hex(token))
    .where("purpose", "=", purpose)
    .executeTakeFirst();
  if (!row) return { state: "unknown" };
  if (row.used_at) return { state: "used", userId: row.user_id };
  if (row.expires_at <= clock.now().toISOString()) return { state: "expired", userId: row.user_id };
  return { state: "valid", tokenId: row.id, userId: row.user_id };
}

/** Marks a token used; false when another request used it first (single use under races). */
export async function consumeEmailToken(db: DbOrTx, clock: Clock, tokenId: number): Promise<boolean> {
  const result = await db
    .updateTable("email_tokens")
    .set({ used_at: clock.now().toISOString() })
    .where("id", "=", tokenId)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
