// The review figures of a regional branch over the last 30 days, in its own time zone and calendar: proxies
// decided, decided on time (by the deadline), the median of working days from submission to decision, and how
// many are overdue now. One home for the queue's counters, the morning digest and the admins' comparison.
import type { Db } from "../../db/index.server";
import { localDate, workingDaysBetween } from "../calendar";

export const SLA_WINDOW_DAYS = 30;

export interface SlaFigures {
  decided: number;
  onTime: number;
  /** Working days from submission to decision, the median; null when nothing was decided. */
  medianWorkingDays: number | null;
  overdueNow: number;
  inReview: number;
}

export async function slaFigures(db: Db, office: { code: string; timeZone: string }, now: Date): Promise<SlaFigures> {
  const since = new Date(now.getTime() - SLA_WINDOW_DAYS * 24 * 3600_000).toISOString();
  const decided = await db
    .selectFrom("proxies")
    .select(["submitted_at", "decided_at", "sla_due_at"])
    .where("office_code", "=", office.code)
    .where("decided_at", ">=", since)
    .where("submitted_at", "is not", null)
    .execute();
  const open = await db
    .selectFrom("proxies")
    .select(["sla_due_at"])
    .where("office_code", "=", office.code)
    .where("status", "=", "in_review")
    .execute();
  const days = decided
    .map((d) =>
      workingDaysBetween(
        localDate(new Date(d.submitted_at!), office.timeZone),
        localDate(new Date(d.decided_at!), office.timeZone),
        office.code,
      ),
    )
    .sort((a, b) => a - b);
  const mid = Math.floor(days.length / 2);
  return {
    decided: decided.length,
    onTime: decided.filter((d) => d.sla_due_at && d.decided_at! <= d.sla_due_at).length,
    medianWorkingDays: days.length === 0 ? null : days.length % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2,
    overdueNow: open.filter((p) => p.sla_due_at && p.sla_due_at < now.toISOString()).length,
    inReview: open.length,
  };
}

/** «на срок 18 из 20 (90 %)», as the digest and the pages say it. */
export function onTimeText(f: SlaFigures): string {
  if (f.decided === 0) return "решений за 30 дней нет";
  return `в срок ${f.onTime} из ${f.decided} (${Math.round((f.onTime / f.decided) * 100)} %)`;
}
