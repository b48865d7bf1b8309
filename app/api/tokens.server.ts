// Personal API tokens: a representative creates one for their accounting software, sees it once,
// and can revoke it. Only the SHA-256 is kept; a request presents the token as `Authorization: Bearer`.
import crypto from "node:crypto";
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAggregatedAuditEvent, recordAuditEvent } from "../audit/journal.server";
import { takeRateLimitHit } from "../web/rate-limit.server";
import { sha256Hex } from "../accounts/tokens.server";
import { USER_COLUMNS, sessionUserOf, type SessionUser } from "../accounts/sessions.server";

export const TOKEN_PREFIX = "sedo_";
export const MAX_TOKENS = 20;
/** last_used_at is written at most this often per token. */
const TOUCH_MS = 60_000;

export class ApiTokenError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiTokenError";
  }
}

export async function createApiToken(
  db: Db,
  clock: Clock,
  userId: number,
  rawName: string,
  ip: string | null,
): Promise<{ token: string; id: number }> {
  const name = rawName.trim().replace(/\s+/g, " ");
  if (!name) throw new ApiTokenError("Назовите токен, например «1С: Зарплата и кадры», чтобы потом его узнать.", 422);
  if (name.length > 100) throw new ApiTokenError("Название токена: не длиннее 100 символов.", 422);
  const live = await db
    .selectFrom("api_tokens")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirstOrThrow();
  if (Number(live.n) >= MAX_TOKENS)
    throw new ApiTokenError(`У вас уже ${MAX_TOKENS} действующих токенов. Отзовите ненужные.`, 409);
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString("base64url");
  const row = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto("api_tokens")
      .values({
        user_id: userId,
        name,
        token_hash: sha256Hex(token),
        prefix: token.slice(0, 12),
        created_at: clock.now().toISOString(),
        last_used_at: null,
        revoked_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, clock, {
      action: "api_token.created",
      actorId: userId,
      subjectType: "api_token",
      subjectId: created.id,
      ip,
      details: { name },
    });
    return created;
  });
  return { token, id: row.id };
}

export async function revokeApiToken(
  db: Db,
  clock: Clock,
  userId: number,
  tokenId: number,
  ip: string | null,
): Promise<void> {
  const res = await db
    .updateTable("api_tokens")
    .set({ revoked_at: clock.now().toISOString() })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new ApiTokenError("Токен не найден или уже отозван.", 404);
  await recordAuditEvent(db, clock, {
    action: "api_token.revoked",
    actorId: userId,
    subjectType: "api_token",
    subjectId: tokenId,
    ip,
  });
}

export function apiTokensOf(db: Db, userId: number) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"])
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .execute();
}

/** The representative a request's bearer token belongs to; throws ApiTokenError (401) otherwise. */
export async function authenticateApiRequest(
  db: Db,
  clock: Clock,
  request: Pick<Request, "headers">,
): Promise<SessionUser> {
  const header = request.headers.get("authorization") ?? "";
  const match = header.match(/^Bearer\s+(sedo_[A-Za-z0-9_-]{20,100})$/);
  if (!match)
    throw new ApiTokenError(
      "Нужен заголовок Authorization: Bearer <токен>. Токен создаётся в профиле, раздел «API-токены».",
      401,
    );
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.id as token_id", "api_tokens.revoked_at", "api_tokens.last_used_at", ...USER_COLUMNS])
    .where("api_tokens.token_hash", "=", sha256Hex(match[1]))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== "active" || row.role !== "representative") {
    throw new ApiTokenError("Токен недействителен или отозван.", 401);
  }
  const now = clock.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= TOUCH_MS) {
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: now.toISOString() })
      .where("id", "=", row.token_id)
      .execute();
  }
  return sessionUserOf(row);
}

/**
 * A JSON answer of the API; never cached. Its length is declared, so the compression layer leaves an answer
 * that fits in one packet as it is (compressing it costs the server more than it saves anyone).
 */
export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
      "Cache-Control": "no-store",
      ...headers,
    },
  });
}

/**
 * The representative behind an API request. Without a valid token the refusal is audited and a 401 JSON
 * answer is thrown, which Remix returns as it is from a resource route; past the representative's limit
 * of requests a minute (all their tokens together), a 429 with Retry-After.
 */
export async function requireApiUser(
  request: Request,
  context: { db: Db; clock: Clock; ip: string | null; config: { apiRequestsPerMinute: number }; apiUser?: SessionUser },
): Promise<SessionUser> {
  let user: SessionUser;
  try {
    user = context.apiUser ?? (await authenticateApiRequest(context.db, context.clock, request));
  } catch (error) {
    if (!(error instanceof ApiTokenError)) throw error;
    await recordAggregatedAuditEvent(context.db, context.clock, {
      action: "api.denied",
      ip: context.ip,
      subjectType: "path",
      subjectId: new URL(request.url).pathname,
    });
    throw apiJson({ error: error.message }, error.status, { "WWW-Authenticate": 'Bearer realm="sedo-gateway"' });
  }
  const limit = context.config.apiRequestsPerMinute;
  if (
    !(await takeRateLimitHit(context.db, context.clock, { bucket: `api:${user.id}`, max: limit, windowMs: 60_000 }))
  ) {
    throw apiJson({ error: `Слишком много запросов: не больше ${limit} в минуту. Повторите через минуту.` }, 429, {
      "Retry-After": "60",
    });
  }
  return user;
}
