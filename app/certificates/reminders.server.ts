// Letters to representatives 30 and 7 days before their current certificate expires. Each reminder
// is claimed by a conditional update, so a rerun (or a second server) never sends it twice.
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { enqueueMail } from "../mail/outbox.server";
import { certificateExpiryLetter } from "../mail/templates.server";
import { formatDate } from "../web/format";

const DAY = 24 * 3600_000;
const STAGES = [
  { days: 30, column: "reminded_30_at" },
  { days: 7, column: "reminded_7_at" },
] as const;

export async function sendCertificateExpiryReminders(db: Db, clock: Clock, appUrl: string): Promise<number> {
  const now = clock.now();
  let queued = 0;
  // The 7-day stage first: a certificate found only 5 days before expiry gets one letter, not two.
  for (const stage of [...STAGES].reverse()) {
    const horizon = new Date(now.getTime() + stage.days * DAY).toISOString();
    const due = await db
      .selectFrom("certificates")
      .innerJoin("users", "users.id", "certificates.user_id")
      .select([
        "certificates.id",
        "certificates.not_after",
        "certificates.sha1",
        "users.id as user_id",
        "users.email",
        "users.given_name",
        "users.patronymic",
      ])
      .where("certificates.status", "=", "current")
      .where("certificates.not_after", ">", now.toISOString())
      .where("certificates.not_after", "<=", horizon)
      .where(`certificates.${stage.column}`, "is", null)
      .execute();
    for (const cert of due) {
      await db.transaction().execute(async (trx) => {
        const claim = await trx
          .updateTable("certificates")
          .set(
            stage.days === 7
              ? { reminded_7_at: now.toISOString(), reminded_30_at: now.toISOString() }
              : { reminded_30_at: now.toISOString() },
          )
          .where("id", "=", cert.id)
          .where(stage.column, "is", null)
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) return;
        const daysLeft = Math.max(1, Math.ceil((new Date(cert.not_after).getTime() - now.getTime()) / DAY));
        await enqueueMail(trx, clock, {
          recipient: cert.email,
          purpose: `certificate-expiry-${stage.days}`,
          userId: cert.user_id,
          ...certificateExpiryLetter({
            givenName: cert.given_name,
            patronymic: cert.patronymic,
            notAfter: formatDate(cert.not_after),
            daysLeft,
            thumbprint: cert.sha1,
            link: `${appUrl}/profile/representative`,
          }),
        });
        queued++;
      });
    }
  }
  return queued;
}
