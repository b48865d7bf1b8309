// Background jobs that run inside the server process on an interval: the outbox sender and the
// clean-up of expired sessions and rate-limit hits. Each run is idempotent and never overlaps itself.
import type { Db } from "../db/index.server";
import type { Clock } from "./clock.server";
import { deliverDueMail } from "./mail/outbox.server";
import type { MailTransport } from "./mail/transport.server";
import { pruneExpiredSessions } from "./accounts/sessions.server";
import { pruneRateLimitHits } from "./web/rate-limit.server";
import { sendCertificateExpiryReminders } from "./certificates/reminders.server";
import { applyLoadedCalendars } from "./calendar/import.server";
import { fetchDueCrls, refreshCertificateTrust } from "./certificates/revocation.server";
import { expireEndedProxies, sendPoaExpiryReminders, sendSlaDigests } from "./review/jobs.server";

export interface JobsOptions {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  mailFrom: string;
  mailPollMs: number;
  jobsIntervalMs: number;
  /** 0 turns the scheduled reading of CRL distribution points off. */
  crlRefreshMs: number;
  appUrl: string;
  /** Where the files of generated mail attachments (receipts) are kept. */
  uploadsDir: string;
  log?: (message: string) => void;
}

function every(ms: number, task: () => Promise<unknown>, log: (m: string) => void, name: string): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (error) {
      log(`job ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  }, ms);
  timer.unref();
  return () => clearInterval(timer);
}

export function startBackgroundJobs(opts: JobsOptions): () => void {
  const log = opts.log ?? ((m: string) => console.error(m));
  const stops = [
    every(
      opts.mailPollMs,
      async () => {
        const report = await deliverDueMail(opts.db, opts.clock, opts.transport, {
          from: opts.mailFrom,
          uploadsDir: opts.uploadsDir,
        });
        if (report.failed) log(`outbox: ${report.sent} sent, ${report.failed} failed (will retry)`);
      },
      log,
      "outbox",
    ),
    every(
      opts.jobsIntervalMs,
      async () => {
        // A year another process loaded (`npm run calendar:import`) takes effect here too.
        await applyLoadedCalendars(opts.db);
        await pruneExpiredSessions(opts.db, opts.clock);
        await pruneRateLimitHits(opts.db, opts.clock);
        await sendCertificateExpiryReminders(opts.db, opts.clock, opts.appUrl);
        await expireEndedProxies(opts.db, opts.clock);
        await sendPoaExpiryReminders(opts.db, opts.clock, opts.appUrl);
        await sendSlaDigests(opts.db, opts.clock, opts.appUrl);
      },
      log,
      "daily-review-jobs",
    ),
    every(
      opts.jobsIntervalMs,
      async () => {
        if (opts.crlRefreshMs > 0) {
          const r = await fetchDueCrls(opts.db, opts.clock, { appUrl: opts.appUrl, intervalMs: opts.crlRefreshMs });
          if (r.failed)
            log(`revocation lists: ${r.fetched} read, ${r.added} new, ${r.failed} distribution points failed`);
        }
        // Revocation dates in the future and CAs' status changes take effect without a new list.
        await refreshCertificateTrust(opts.db, opts.clock, opts.appUrl);
      },
      log,
      "revocation",
    ),
  ];
  return () => stops.forEach((stop) => stop());
}
