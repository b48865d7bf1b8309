// Sessions in the database, so several server processes share them. The cookie carries a random
// token; the table keeps only its SHA-256. 30 minutes idle or 12 hours in all end a session.
import crypto from "node:crypto";
import type { Db, DbOrTx } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { sha256Hex } from "./tokens.server";

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
/** last_seen_at is written at most this often, to spare the database a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionUser {
  id: number;
  role: "representative" | "operator" | "admin";
  surname: string;
  givenName: string;
  patronymic: string;
  email: string;
  territorialBodyCode: string | null;
  /** An operator limited to some subdivisions of the branch; null = every subdivision. */
  subdivisions: string[] | null;
}

/** The users' columns a signed-in request needs, for a query joined to `users` (sessions, API tokens). */
export const USER_COLUMNS = [
  "users.id",
  "users.role",
  "users.surname",
  "users.given_name",
  "users.patronymic",
  "users.email",
  "users.status",
  "users.territorial_body_code",
  "users.subdivision_codes",
] as const;

export function sessionUserOf(row: {
  id: number;
  role: SessionUser["role"];
  surname: string;
  given_name: string;
  patronymic: string;
  email: string;
  territorial_body_code: string | null;
  subdivision_codes: string | null;
}): SessionUser {
  return {
    id: row.id,
    role: row.role,
    surname: row.surname,
    givenName: row.given_name,
    patronymic: row.patronymic,
    email: row.email,
    territorialBodyCode: row.territorial_body_code,
    subdivisions: row.subdivision_codes ? row.subdivision_codes.split(",") : null,
  };
}

export interface ActiveSession {
  id: string;
  user: SessionUser;
  createdAt: string;
}

export async function createSession(
  db: DbOrTx,
  clock: Clock,
  userId: number,
  client: { ip: string | null; userAgent: string | null },
): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const now = clock.now();
  await db
    .insertInto("sessions")
    .values({
      id: sha256Hex(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 400) ?? null,
    })
    .execute();
  return token;
}

/** The live session for a cookie token, or null; an idle or expired session is deleted on sight. */
export async function resolveSession(db: Db, clock: Clock, token: string | undefined): Promise<ActiveSession | null> {
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = sha256Hex(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as session_id",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      ...USER_COLUMNS,
    ])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const now = clock.now();
  const idleSince = new Date(row.last_seen_at).getTime();
  if (row.expires_at <= now.toISOString() || now.getTime() - idleSince >= SESSION_IDLE_MS || row.status !== "active") {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  if (now.getTime() - idleSince >= TOUCH_INTERVAL_MS) {
    await db.updateTable("sessions").set({ last_seen_at: now.toISOString() }).where("id", "=", id).execute();
  }
  return {
    id,
    createdAt: row.created_at,
    user: sessionUserOf(row),
  };
}

export async function endSessionByToken(db: DbOrTx, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.deleteFrom("sessions").where("id", "=", sha256Hex(token)).execute();
}

/** Ends every session of a user except, optionally, the one making the change. */
export async function endOtherSessions(db: DbOrTx, userId: number, exceptSessionId?: string): Promise<void> {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (exceptSessionId) query = query.where("id", "!=", exceptSessionId);
  await query.execute();
}

export async function pruneExpiredSessions(db: DbOrTx, clock: Clock): Promise<void> {
  const now = clock.now();
  await db
    .deleteFrom("sessions")
    .where((eb) =>
      eb.or([
        eb("expires_at", "<=", now.toISOString()),
        eb("last_seen_at", "<=", new Date(now.getTime() - SESSION_IDLE_MS).toISOString()),
      ]),
    )
    .execute();
}
