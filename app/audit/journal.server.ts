// The audit journal: who did what, when and from where. Never holds passwords or tokens.
import type { DbOrTx } from "../../db/index.server";
import type { Clock } from "../clock.server";

export type AuditAction =
  | "account.registered"
  | "account.registration_attempt"
  | "account.confirmed"
  | "account.locked"
  | "login.succeeded"
  | "login.failed"
  | "login.refused_locked"
  | "login.refused_unconfirmed"
  | "logout"
  | "password.reset_requested"
  | "password.changed"
  | "confirmation.resent"
  | "certificate.accepted"
  | "certificate.replaced"
  | "certificate.refused"
  | "certificate.trust-lost"
  | "trust.imported"
  | "trust.ca-removed"
  | "trust.crl-imported"
  | "calendar.imported"
  | "proxy.added"
  | "proxy.term_set"
  | "proxy.poa_uploaded"
  | "proxy.submitted"
  | "proxy.withdrawn"
  | "proxy.poa_downloaded"
  | "proxy.paper_copy_received"
  | "proxy.registry_checked"
  | "proxy.approved"
  | "proxy.rejected"
  | "proxy.expired"
  | "access.denied"
  | "operator.created"
  | "operator.subdivisions_changed"
  | "office.notify_mode_changed"
  | "api_token.created"
  | "api_token.revoked"
  | "api.denied"
  | "report.accepted"
  | "report.duplicate"
  | "report.rejected";

export interface AuditEntry {
  action: AuditAction;
  actorId?: number | null;
  subjectType?: string;
  subjectId?: string | number;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAuditEvent(db: DbOrTx, clock: Clock, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      at: clock.now().toISOString(),
      actor_id: entry.actorId ?? null,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId === undefined ? null : String(entry.subjectId),
      ip: entry.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })
    .execute();
}

/**
 * For events anyone can cause in bulk (a bad API token): one row per action, IP and subject a minute, its
 * `occurrences` counting how many came — the journal stays readable and cannot be flooded, nothing is lost.
 */
export async function recordAggregatedAuditEvent(db: DbOrTx, clock: Clock, entry: AuditEntry): Promise<void> {
  const now = clock.now();
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  const subjectId = entry.subjectId === undefined ? null : String(entry.subjectId);
  let q = db
    .selectFrom("audit_events")
    .select("id")
    .where("action", "=", entry.action)
    .where("at", ">=", minute)
    .orderBy("id", "desc");
  q = entry.ip ? q.where("ip", "=", entry.ip) : q.where("ip", "is", null);
  q = subjectId === null ? q.where("subject_id", "is", null) : q.where("subject_id", "=", subjectId);
  const same = await q.executeTakeFirst();
  if (!same) {
    await recordAuditEvent(db, clock, { ...entry, details: { ...entry.details, since: now.toISOString() } });
    return;
  }
  await db
    .updateTable("audit_events")
    .set((eb) => ({ occurrences: eb("occurrences", "+", 1) }))
    .where("id", "=", same.id)
    .execute();
}

export async function auditEventsOf(db: DbOrTx, subjectType: string, subjectId: string | number) {
  return db
    .selectFrom("audit_events")
    .selectAll()
    .where("subject_type", "=", subjectType)
    .where("subject_id", "=", String(subjectId))
    .orderBy("id")
    .execute();
}
