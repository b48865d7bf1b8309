// Daily work of the review side, run by the background jobs and idempotent:
// - approved proxies whose term has ended become «Срок истёк»;
// - representatives are mailed 30 and 7 days before an approved POA ends;
// - each working morning (from 09:00 in the office's zone) every office with something due today or
//   overdue gets one digest, to its address and its operators.
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { addDays, dateTimeFormat, isWorkingDay, localDate, MOSCOW } from "../calendar";
import { onTimeText, slaFigures } from "./sla.server";
import { enqueueMail } from "../mail/outbox.server";
import { poaExpiryLetter, slaDigestLetter } from "../mail/templates.server";
import { formatDate, formatDateTime } from "../web/format";

export async function expireEndedProxies(db: Db, clock: Clock): Promise<number> {
  // The term ends at the end of its last day; Moscow's date is used for every office (the earliest
  // zone west of the Urals): a POA is never expired before its last day is over anywhere in Russia.
  const today = localDate(clock.now(), MOSCOW);
  const ended = await db
    .selectFrom("proxies")
    .select(["id", "version"])
    .where("status", "=", "approved")
    .where("valid_to", "<", today)
    .execute();
  let count = 0;
  for (const p of ended) {
    await db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("proxies")
        .set({ status: "expired", version: p.version + 1 })
        .where("id", "=", p.id)
        .where("status", "=", "approved")
        .where("version", "=", p.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) return;
      await recordAuditEvent(trx, clock, { action: "proxy.expired", subjectType: "proxy", subjectId: p.id });
      count++;
    });
  }
  return count;
}

export async function sendPoaExpiryReminders(db: Db, clock: Clock, appUrl: string): Promise<number> {
  const today = localDate(clock.now(), MOSCOW);
  let queued = 0;
  for (const stage of [7, 30] as const) {
    const column = stage === 7 ? "expiry_reminded_7_at" : "expiry_reminded_30_at";
    const due = await db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .innerJoin("users", "users.id", "proxies.representative_id")
      .select([
        "proxies.id",
        "proxies.valid_to",
        "organizations.short_name",
        "organizations.regnum",
        "users.id as user_id",
        "users.email",
        "users.given_name",
        "users.patronymic",
      ])
      .where("proxies.status", "=", "approved")
      .where("proxies.valid_to", ">=", today)
      .where("proxies.valid_to", "<=", addDays(today, stage))
      .where(`proxies.${column}`, "is", null)
      .execute();
    for (const p of due) {
      await db.transaction().execute(async (trx) => {
        const stamp = clock.now().toISOString();
        const claim = await trx
          .updateTable("proxies")
          .set(
            stage === 7
              ? { expiry_reminded_7_at: stamp, expiry_reminded_30_at: stamp }
              : { expiry_reminded_30_at: stamp },
          )
          .where("id", "=", p.id)
          .where(column, "is", null)
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) return;
        await enqueueMail(trx, clock, {
          recipient: p.email,
          purpose: `poa-expiry-${stage}`,
          userId: p.user_id,
          ...poaExpiryLetter({
            givenName: p.given_name,
            patronymic: p.patronymic,
            organization: p.short_name,
            regnum: p.regnum,
            validTo: formatDate(p.valid_to + "T12:00:00Z"),
            link: `${appUrl}/profile/representative`,
          }),
        });
        queued++;
      });
    }
  }
  return queued;
}

export const DIGEST_HOUR = 9;

export async function sendSlaDigests(db: Db, clock: Clock, appUrl: string): Promise<string[]> {
  const now = clock.now();
  const offices = await db
    .selectFrom("proxies")
    .innerJoin("territorial_bodies", "territorial_bodies.code", "proxies.office_code")
    .select([
      "territorial_bodies.code",
      "territorial_bodies.name",
      "territorial_bodies.email",
      "territorial_bodies.time_zone",
      "territorial_bodies.notify_mode",
    ])
    .where("proxies.status", "=", "in_review")
    .groupBy([
      "territorial_bodies.code",
      "territorial_bodies.name",
      "territorial_bodies.email",
      "territorial_bodies.time_zone",
      "territorial_bodies.notify_mode",
    ])
    .execute();
  const sent: string[] = [];
  for (const office of offices) {
    const today = localDate(now, office.time_zone);
    const hour = Number(
      dateTimeFormat("en-GB", { hour: "2-digit", hourCycle: "h23", timeZone: office.time_zone }).format(now),
    );
    if (!isWorkingDay(today, office.code) || hour < DIGEST_HOUR) continue;
    const rows = await db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .innerJoin("users", "users.id", "proxies.representative_id")
      .select([
        "proxies.id",
        "proxies.sla_due_at",
        "proxies.submitted_at",
        "organizations.short_name",
        "organizations.regnum",
        "organizations.subdivision_code",
        "users.surname",
        "users.given_name",
        "users.patronymic",
      ])
      .where("proxies.office_code", "=", office.code)
      .where("proxies.status", "=", "in_review")
      .orderBy("proxies.sla_due_at")
      .execute();
    const overdue = rows.filter((r) => r.sla_due_at! < now.toISOString());
    const dueToday = rows.filter(
      (r) => r.sla_due_at! >= now.toISOString() && localDate(new Date(r.sla_due_at!), office.time_zone) === today,
    );
    // A branch on the digest alone learns here of the proxies that came in since its last digest (after a weekend too).
    const last = await db
      .selectFrom("sla_digests")
      .select((eb) => eb.fn.max("sent_at").as("at"))
      .where("office_code", "=", office.code)
      .executeTakeFirst();
    const since = (last?.at as string | null) ?? new Date(now.getTime() - 24 * 3600_000).toISOString();
    const arrived = office.notify_mode === "digest" ? rows.filter((r) => (r.submitted_at ?? "") >= since) : [];
    if (!overdue.length && !dueToday.length && !arrived.length) continue;
    const operators = await db
      .selectFrom("users")
      .select(["email", "subdivision_codes"])
      .where("role", "=", "operator")
      .where("territorial_body_code", "=", office.code)
      .where("status", "=", "active")
      .execute();
    const describe = (r: (typeof rows)[number]) =>
      `${r.short_name} (рег. № ${r.regnum}), представитель ${[r.surname, r.given_name, r.patronymic].filter(Boolean).join(" ")}, срок ${formatDateTime(r.sla_due_at!, office.time_zone)} — ${appUrl}/operator/proxies/${r.id}`;
    // Read before the transaction: on SQLite its one connection is the transaction's until it ends.
    const figures = await slaFigures(db, { code: office.code, timeZone: office.time_zone }, now);
    await db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto("sla_digests")
        .values({ office_code: office.code, digest_date: today, sent_at: now.toISOString() })
        .onConflict((oc) => oc.columns(["office_code", "digest_date"]).doNothing())
        .executeTakeFirst();
      if (Number(claim.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
      // The branch's mailbox gets every proxy; an operator limited to some subdivisions, only theirs.
      const recipients = [
        { email: office.email, subdivisions: null as string[] | null },
        ...operators.map((o) => ({ email: o.email, subdivisions: o.subdivision_codes?.split(",") ?? null })),
      ];
      for (const recipient of recipients) {
        const mine = (list: typeof rows) =>
          recipient.subdivisions
            ? list.filter((r) => recipient.subdivisions!.includes(r.subdivision_code ?? r.regnum.slice(0, 4)))
            : list;
        const [myOverdue, myDueToday, myArrived] = [mine(overdue), mine(dueToday), mine(arrived)];
        if (!myOverdue.length && !myDueToday.length && !myArrived.length) continue;
        const letter = slaDigestLetter({
          officeName: office.name,
          date: formatDate(now, office.time_zone),
          overdue: myOverdue.map(describe),
          dueToday: myDueToday.map(describe),
          arrived: office.notify_mode === "digest" ? myArrived.map(describe) : undefined,
          figures: `За 30 дней: решено ${figures.decided}, ${onTimeText(figures)}, медиана ${figures.medianWorkingDays === null ? "—" : figures.medianWorkingDays.toLocaleString("ru-RU")} раб. дн. до решения; на проверке ${figures.inReview}, просрочено сейчас ${figures.overdueNow}.`,
          link: `${appUrl}/operator`,
        });
        await enqueueMail(trx, clock, { recipient: recipient.email, purpose: "sla-digest", userId: null, ...letter });
      }
      sent.push(office.code);
    });
  }
  return sent;
}
