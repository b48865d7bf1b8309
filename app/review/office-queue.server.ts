// The territorial office's work: the queue of proxies «На проверке», its counters, the proxy card,
// the paper-copy mark and the decisions. Every query is scoped to the operator's office, so a proxy of
// another office is not found (404). Decisions are conditional updates on the row's version: when two
// operators decide at once, exactly one wins and the other is told.
import { poaDownloadName } from "../proxies/poa-file.server";
import { certificateValidAt } from "../certificates/validity";
import { trustLostReason } from "../certificates/revocation.server";
import { caLabel, type ChainEntry } from "../certificates/trust.server";
import type { MchdRecord } from "../proxies/representative-proxies.server";
import { slaFigures } from "./sla.server";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import type { Db, DbOrTx } from "../../db/index.server";
import type { ProxyStatus } from "../../db/schema";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { addDays, localDate, workingDaysBetween } from "../calendar";
import { enqueueMail } from "../mail/outbox.server";
import { proxyDecisionLetter } from "../mail/templates.server";
import { formatDate, formatDateTime } from "../web/format";
import { STATUS_LABELS } from "../proxies/statuses";
import { ProxyError, ProxyNotFoundError } from "../proxies/errors.server";

export const QUEUE_PAGE_SIZE = 50;
export const QUEUE_EXPORT_MAX = 50_000;
export const BULK_APPROVAL_MAX = 100;
export const SIBLINGS_SHOWN = 20;

/** The queue's columns an operator may sort by, and what each sorts on (fixed SQL, never the request's text). */
export const QUEUE_SORT_COLUMNS = {
  submitted: "proxies.submitted_at",
  deadline: "proxies.sla_due_at",
  representative: "users.surname",
  organization: "organizations.search_name",
  paper: "proxies.paper_copy_received_at",
} as const;
export type QueueSort = keyof typeof QUEUE_SORT_COLUMNS;

export interface QueueFilter {
  overdueOnly?: boolean;
  q?: string;
  page?: number;
  subdivision?: string;
  state?: "paper-received" | "paper-awaited" | "mchd" | "calendar-changed";
  sort?: QueueSort;
  dir?: "asc" | "desc";
}
export const REJECTION_REASON_MAX = 2000;

export interface ReviewContext {
  db: Db;
  clock: Clock;
  uploadsDir: string;
  appUrl: string;
  ip: string | null;
}

export interface Operator {
  id: number;
  officeCode: string;
  /** Limited to these subdivisions (four-digit codes) of the branch; null or absent = all of them. */
  subdivisions?: string[] | null;
}

/** What the operator ticked on the decision form along with «Утвердить». */
export interface ApprovalMarks {
  paperCopyReceivedOn?: string;
  registryChecked?: boolean;
}

interface DecisionMarks {
  values:
    | Record<string, never>
    | { paper_copy_received_at: string }
    | { registry_checked_at: string; registry_checked_by: number; registry_status: string };
  audits: Array<{ action: "proxy.paper_copy_received" | "proxy.registry_checked"; details?: Record<string, unknown> }>;
}

export class DecisionConflict extends ProxyError {
  constructor(message: string) {
    super(message, 409);
    this.name = "DecisionConflict";
  }
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export class OfficeQueue {
  private constructor(
    private readonly ctx: ReviewContext,
    readonly operator: Operator,
    readonly timeZone: string,
  ) {}

  static async for(ctx: ReviewContext, operator: Operator): Promise<OfficeQueue> {
    const office = await ctx.db
      .selectFrom("territorial_bodies")
      .select("time_zone")
      .where("code", "=", operator.officeCode)
      .executeTakeFirst();
    return new OfficeQueue(ctx, operator, office?.time_zone ?? "Europe/Moscow");
  }

  private get db() {
    return this.ctx.db;
  }

  /**
   * The proxies this operator may see and decide: the branch's, and of an operator limited to some subdivisions,
   * only those of organisations in them. Every query of the queue, the card and the decisions goes through it, so
   * a proxy outside the scope is not found (404).
   */
  private scope() {
    const subdivisions = this.operator.subdivisions;
    if (!subdivisions?.length) return sql<boolean>`proxies.office_code = ${this.operator.officeCode}`;
    return sql<boolean>`(proxies.office_code = ${this.operator.officeCode} AND proxies.organization_id IN (SELECT organizations.id FROM organizations WHERE organizations.subdivision_code IN (${sql.join(subdivisions)})))`;
  }

  /** The operator's subdivisions when limited, for the page to say so. */
  get limitedTo(): string[] | null {
    return this.operator.subdivisions?.length ? this.operator.subdivisions : null;
  }

  private today(): string {
    return localDate(this.ctx.clock.now(), this.timeZone);
  }

  /** The subdivisions (four-digit ФСС branch codes) that have proxies in review at this office. */
  async subdivisions(): Promise<string[]> {
    const rows = await this.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .select("organizations.subdivision_code")
      .distinct()
      .where(this.scope())
      .where("proxies.status", "=", "in_review")
      .orderBy("organizations.subdivision_code")
      .execute();
    return rows.map((r) => r.subdivision_code).filter((c): c is string => Boolean(c));
  }

  async list(filter: QueueFilter = {}, options: { everything?: boolean } = {}) {
    const now = this.ctx.clock.now().toISOString();
    // The filters read the proxies alone (the organisation's numbers from the proxy's copy, migration 0018), so
    // the count touches no other table unless a filter needs one; only the page's rows are joined.
    let q = this.db.selectFrom("proxies").where(this.scope()).where("proxies.status", "=", "in_review");
    if (filter.overdueOnly) q = q.where("proxies.sla_due_at", "<", now);
    if (filter.state === "paper-received") q = q.where("proxies.paper_copy_received_at", "is not", null);
    if (filter.state === "paper-awaited")
      q = q.where("proxies.paper_copy_received_at", "is", null).where("proxies.poa_kind", "!=", "mchd");
    if (filter.state === "mchd") q = q.where("proxies.poa_kind", "=", "mchd");
    if (filter.state === "calendar-changed") q = q.where("proxies.calendar_due_at", "is not", null);
    if (filter.subdivision && /^\d{4}$/.test(filter.subdivision))
      q = q.where(
        sql<boolean>`proxies.organization_id IN (SELECT organizations.id FROM organizations WHERE organizations.subdivision_code = ${filter.subdivision})`,
      );
    const text = filter.q?.trim();
    if (text) {
      const digits = text.replace(/\s/g, "");
      if (/^\d+$/.test(digits)) {
        q = q.where((eb) =>
          eb.or([
            eb("proxies.organization_inn", "like", `${digits}%`),
            eb("proxies.organization_regnum", "like", `${digits}%`),
          ]),
        );
      } else {
        const like = `%${text.toLocaleLowerCase("ru-RU").replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(
          sql<boolean>`proxies.representative_id IN (SELECT users.id FROM users WHERE lower(users.surname || ' ' || users.given_name || ' ' || users.patronymic || ' ' || users.email) LIKE ${like} ESCAPE '\\')`,
        );
      }
    }
    const page = Math.max(1, Math.floor(filter.page ?? 1));
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await q
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .innerJoin("users", "users.id", "proxies.representative_id")
      .select([
        "proxies.id",
        "proxies.submitted_at",
        "proxies.sla_due_at",
        "proxies.calendar_due_at",
        "proxies.status",
        "proxies.paper_copy_received_at",
        "proxies.poa_kind",
        "proxies.valid_from",
        "proxies.valid_to",
        "organizations.short_name",
        "organizations.regnum",
        "organizations.subdivision_code",
        "organizations.inn",
        "users.surname",
        "users.given_name",
        "users.patronymic",
        "users.email",
      ])
      .orderBy(sql.raw(`${QUEUE_SORT_COLUMNS[filter.sort ?? "deadline"]} ${filter.dir === "desc" ? "desc" : "asc"}`))
      .orderBy("proxies.id")
      .$if(!options.everything, (qb) => qb.limit(QUEUE_PAGE_SIZE).offset((page - 1) * QUEUE_PAGE_SIZE))
      .$if(Boolean(options.everything), (qb) => qb.limit(QUEUE_EXPORT_MAX))
      .execute();
    const today = this.today();
    return {
      total: Number(n),
      page,
      pages: Math.max(1, Math.ceil(Number(n) / QUEUE_PAGE_SIZE)),
      rows: rows.map((r) => ({
        ...r,
        overdue: r.sla_due_at! < now,
        workingDaysLeft: workingDaysBetween(
          today,
          localDate(new Date(r.sla_due_at!), this.timeZone),
          this.operator.officeCode,
        ),
      })),
    };
  }

  async counters() {
    const now = this.ctx.clock.now();
    const today = this.today();
    const tomorrowStart = sql`${addDays(today, 1)}`;
    void tomorrowStart;
    const base = () => this.db.selectFrom("proxies").where(this.scope());
    const inReview = await base()
      .where("status", "=", "in_review")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const overdue = await base()
      .where("status", "=", "in_review")
      .where("sla_due_at", "<", now.toISOString())
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    // Due today: the deadline falls on today's local date and has not passed yet.
    const dueRows = await base()
      .where("status", "=", "in_review")
      .where("sla_due_at", ">=", now.toISOString())
      .where("sla_due_at", "<", new Date(now.getTime() + 48 * 3600_000).toISOString())
      .select("sla_due_at")
      .execute();
    const dueToday = dueRows.filter((r) => localDate(new Date(r.sla_due_at!), this.timeZone) === today).length;
    // The week starts on Monday, in the office's zone.
    const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
    const weekStart = addDays(today, -weekday);
    const decided = await base()
      .where("decided_at", "is not", null)
      .where("decided_at", ">=", new Date(now.getTime() - 90 * 24 * 3600_000).toISOString())
      .select(["submitted_at", "decided_at"])
      .orderBy("decided_at", "desc")
      .limit(2000)
      .execute();
    const decidedThisWeek = decided.filter(
      (d) => localDate(new Date(d.decided_at!), this.timeZone) >= weekStart,
    ).length;
    const durations = decided
      .filter((d) => d.submitted_at)
      .map((d) =>
        workingDaysBetween(
          localDate(new Date(d.submitted_at!), this.timeZone),
          localDate(new Date(d.decided_at!), this.timeZone),
          this.operator.officeCode,
        ),
      );
    const calendarChanged = await base()
      .where("status", "=", "in_review")
      .where("calendar_due_at", "is not", null)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return {
      inReview: Number(inReview.n),
      calendarChanged: Number(calendarChanged.n),
      dueToday,
      overdue: Number(overdue.n),
      decidedThisWeek,
      medianWorkingDaysToDecision: median(durations),
      last30: await slaFigures(this.db, { code: this.operator.officeCode, timeZone: this.timeZone }, now),
    };
  }

  async card(proxyId: number) {
    if (!Number.isInteger(proxyId) || proxyId <= 0) throw new ProxyNotFoundError();
    const p = await this.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .innerJoin("users", "users.id", "proxies.representative_id")
      .leftJoin("files", "files.id", "proxies.poa_file_id")
      .select([
        "proxies.id",
        "proxies.status",
        "proxies.version",
        "proxies.valid_from",
        "proxies.valid_to",
        "proxies.submitted_at",
        "proxies.sla_due_at",
        "proxies.calendar_due_at",
        "proxies.calendar_changed_at",
        "proxies.decided_at",
        "proxies.rejection_reason",
        "proxies.paper_copy_received_at",
        "proxies.representative_id",
        "proxies.poa_kind",
        "proxies.mchd",
        "proxies.registry_checked_at",
        "proxies.registry_checked_by",
        "proxies.registry_status",
        "organizations.regnum",
        "organizations.subdivision_code",
        "organizations.inn",
        "organizations.kpp",
        "organizations.ogrn",
        "organizations.full_name",
        "organizations.short_name",
        "organizations.address",
        "organizations.active",
        "users.surname",
        "users.given_name",
        "users.patronymic",
        "users.email",
        "files.pages",
        "files.size",
        "files.original_name",
      ])
      .where("proxies.id", "=", proxyId)
      .where(this.scope())
      .where("proxies.status", "!=", "not_filled")
      .executeTakeFirst();
    if (!p) throw new ProxyNotFoundError();
    const cert = await this.db
      .selectFrom("certificates")
      .select([
        "holder_surname",
        "holder_given_name",
        "holder_patronymic",
        "snils",
        "not_before",
        "not_after",
        "sha1",
        "issuer_cn",
        "chain",
        "revoked_at",
        "revocation_reason",
        "distrust_reason",
      ])
      .where("user_id", "=", p.representative_id)
      .where("status", "=", "current")
      .executeTakeFirst();
    const history = await this.db
      .selectFrom("audit_events")
      .leftJoin("users", "users.id", "audit_events.actor_id")
      .select([
        "audit_events.at",
        "audit_events.action",
        "audit_events.details",
        "users.surname",
        "users.given_name",
        "users.role",
      ])
      .where("audit_events.subject_type", "=", "proxy")
      .where("audit_events.subject_id", "=", String(p.id))
      .orderBy("audit_events.id")
      .execute();
    const now = this.ctx.clock.now().toISOString();
    const mchd = p.poa_kind === "mchd" && p.mchd ? (JSON.parse(p.mchd) as MchdRecord) : null;
    const norm = (s: string) => s.trim().toLocaleLowerCase("ru-RU").replaceAll("ё", "е");
    const checks = [
      {
        label: "Сертификат представителя действует сейчас",
        ok: Boolean(cert && certificateValidAt({ notBefore: cert.not_before, notAfter: cert.not_after }, now)),
      },
      {
        label: "Сертификат квалифицированный: цепочка до аккредитованного УЦ проверена, не отозван",
        ok: Boolean(cert?.chain && !trustLostReason(cert)),
        note: cert
          ? (trustLostReason(cert) ?? (cert.chain ? undefined : "не проверен: загружен до проверки цепочек"))
          : undefined,
      },
      {
        // Reports can only be signed while both the POA and the certificate are valid.
        label: "Сертификат действует на весь срок доверенности",
        ok: Boolean(
          cert &&
          p.valid_from &&
          p.valid_to &&
          cert.not_before.slice(0, 10) <= (p.valid_from > this.today() ? p.valid_from : this.today()) &&
          cert.not_after.slice(0, 10) >= p.valid_to,
        ),
        note:
          cert && p.valid_to && cert.not_after.slice(0, 10) < p.valid_to
            ? `сертификат истекает ${formatDate(cert.not_after)}, раньше доверенности: потребуется новый сертификат`
            : undefined,
      },
      {
        label: "Владелец сертификата совпадает с учётной записью",
        ok: Boolean(
          cert &&
          norm(cert.holder_surname) === norm(p.surname) &&
          norm(cert.holder_given_name) === norm(p.given_name) &&
          norm(cert.holder_patronymic) === norm(p.patronymic),
        ),
      },
      {
        label: "Срок доверенности разумен (не более 5 лет, не истёк)",
        ok: Boolean(
          p.valid_from && p.valid_to && p.valid_to >= this.today() && p.valid_to <= addDays(p.valid_from, 5 * 366),
        ),
      },
      { label: "Организация действует в реестре", ok: p.active === 1 },
      ...(mchd
        ? [
            {
              label: "МЧД подписана руководителем доверителя квалифицированной подписью",
              ok: true,
              note: `${mchd.signer.name}, сертификат ${mchd.signer.sha1.slice(0, 8)}…, выдан УЦ «${mchd.signer.issuer}»`,
            },
            {
              label: "Полномочия МЧД включают представление отчётности в СФР",
              ok: true,
            },
            {
              label: "МЧД проверена в реестре ФНС",
              ok: p.registry_checked_at !== null,
              note:
                p.registry_checked_at === null
                  ? "проверьте по ссылке реестра и отметьте «Проверена в реестре ФНС»"
                  : p.registry_checked_by === null
                    ? "автоматически при загрузке"
                    : undefined,
            },
          ]
        : [
            {
              label: "PDF доверенности открывается",
              ok: (p.pages ?? 0) > 0,
              note: p.pages ? `страниц: ${p.pages}` : undefined,
            },
          ]),
    ];
    const issuer = cert?.chain ? ((JSON.parse(cert.chain) as ChainEntry[])[0] ?? null) : null;
    return {
      proxy: p,
      mchd,
      certificate: cert ? { ...cert, issuer: issuer ? caLabel(issuer) : (cert.issuer_cn ?? "") } : null,
      history,
      checks,
    };
  }

  /**
   * The representative's other proxies in review in this operator's scope, each with the first automatic check it
   * fails (null: it passes every one and may be approved together with this one).
   */
  async siblings(proxyId: number) {
    const { proxy } = await this.card(proxyId);
    const others = await this.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .select(["proxies.id", "proxies.version", "organizations.short_name", "organizations.regnum"])
      .where(this.scope())
      .where("proxies.status", "=", "in_review")
      .where("proxies.representative_id", "=", proxy.representative_id)
      .where("proxies.id", "!=", proxy.id)
      .orderBy("proxies.sla_due_at")
      // Each is checked like a card of its own: the card shows the next few by deadline, not hundreds.
      .limit(SIBLINGS_SHOWN)
      .execute();
    const rows = [];
    for (const o of others) rows.push({ ...o, failed: await this.firstFailedCheck(o.id) });
    return rows;
  }

  private async firstFailedCheck(proxyId: number): Promise<string | null> {
    const { checks } = await this.card(proxyId);
    return checks.find((c) => !c.ok)?.label ?? null;
  }

  /**
   * «Утвердить отмеченные»: a representative's proxies that pass every automatic check, approved one by one with the
   * same paper-copy mark; a proxy that fails a check or changed meanwhile is refused by itself, with the reason.
   */
  async approveMany(
    items: Array<{ id: number; version: number }>,
    marks: ApprovalMarks,
  ): Promise<{ approved: number[]; refused: Array<{ id: number; reason: string }> }> {
    if (!items.length) throw new ProxyError("Отметьте заявки, которые утвердить.", 422);
    if (items.length > BULK_APPROVAL_MAX)
      throw new ProxyError(`За один раз — не больше ${BULK_APPROVAL_MAX} заявок.`, 422);
    const approved: number[] = [];
    const refused: Array<{ id: number; reason: string }> = [];
    for (const item of items) {
      try {
        const failed = await this.firstFailedCheck(item.id);
        if (failed) throw new ProxyError(`не пройдена проверка «${failed}»`, 422);
        await this.approve(item.id, item.version, marks);
        approved.push(item.id);
      } catch (error) {
        if (!(error instanceof ProxyError)) throw error;
        refused.push({ id: item.id, reason: error.message });
      }
    }
    return { approved, refused };
  }

  async poaFile(
    proxyId: number,
  ): Promise<{ absolutePath: string; size: number; originalName: string; kind: "pdf" | "mchd" }> {
    const { proxy } = await this.card(proxyId);
    const file = await this.db
      .selectFrom("files")
      .innerJoin("proxies", "proxies.poa_file_id", "files.id")
      .select(["files.stored_path", "files.size", "files.original_name"])
      .where("proxies.id", "=", proxy.id)
      .executeTakeFirst();
    if (!file || !fs.existsSync(path.join(this.ctx.uploadsDir, file.stored_path))) throw new ProxyNotFoundError();
    await recordAuditEvent(this.db, this.ctx.clock, {
      action: "proxy.poa_downloaded",
      actorId: this.operator.id,
      subjectType: "proxy",
      subjectId: proxy.id,
      ip: this.ctx.ip,
    });
    const kind = proxy.poa_kind === "mchd" ? "mchd" : "pdf";
    return {
      absolutePath: path.join(this.ctx.uploadsDir, file.stored_path),
      size: file.size,
      originalName: kind === "mchd" ? `мчд-${proxy.regnum}.xml` : poaDownloadName(proxy.regnum),
      kind,
    };
  }

  /** The МЧД's signature file, for this branch's operators. */
  async mchdSignatureFile(proxyId: number): Promise<{ absolutePath: string; size: number; originalName: string }> {
    const { proxy } = await this.card(proxyId);
    const file = await this.db
      .selectFrom("files")
      .innerJoin("proxies", "proxies.mchd_signature_file_id", "files.id")
      .select(["files.stored_path", "files.size"])
      .where("proxies.id", "=", proxy.id)
      .where("proxies.poa_kind", "=", "mchd")
      .executeTakeFirst();
    if (!file || !fs.existsSync(path.join(this.ctx.uploadsDir, file.stored_path))) throw new ProxyNotFoundError();
    await recordAuditEvent(this.db, this.ctx.clock, {
      action: "proxy.poa_downloaded",
      actorId: this.operator.id,
      subjectType: "proxy",
      subjectId: proxy.id,
      ip: this.ctx.ip,
      details: { part: "signature" },
    });
    return {
      absolutePath: path.join(this.ctx.uploadsDir, file.stored_path),
      size: file.size,
      originalName: `мчд-${proxy.regnum}.sig`,
    };
  }

  /** Why a conditional update changed nothing, in words for the operator. */
  private async conflict(trx: DbOrTx, proxyId: number): Promise<ProxyError> {
    // Read through the open transaction: on SQLite a second connection would wait for this one.
    const now = await trx
      .selectFrom("proxies")
      .select(["status", "decided_by"])
      .where("id", "=", proxyId)
      .where(this.scope())
      .executeTakeFirst();
    if (!now) return new ProxyNotFoundError();
    if (now.status !== "in_review") {
      return new DecisionConflict(
        `Заявка уже рассмотрена: сейчас статус «${STATUS_LABELS[now.status as ProxyStatus]}». Ваше решение не сохранено.`,
      );
    }
    return new DecisionConflict(
      "Заявка изменилась, пока вы её смотрели (представитель обновил срок или файл, или другой сотрудник внёс отметку). Обновите страницу и проверьте ещё раз.",
    );
  }

  async markPaperCopy(proxyId: number, version: number, receivedOn: string): Promise<void> {
    const { proxy } = await this.card(proxyId);
    this.checkPaperCopyDate(proxy, receivedOn);
    await this.markInReview(proxy.id, version, { paper_copy_received_at: receivedOn }, "proxy.paper_copy_received", {
      receivedOn,
    });
  }

  private checkPaperCopyDate(proxy: { submitted_at: string | null }, receivedOn: string): void {
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(receivedOn) ||
      receivedOn > this.today() ||
      receivedOn < (proxy.submitted_at ?? "").slice(0, 10)
    ) {
      throw new ProxyError(
        "Укажите дату получения бумажной копии: не позже сегодняшнего дня и не раньше поступления заявки.",
        422,
        "paperCopyDate",
      );
    }
  }

  /** «Проверена в реестре ФНС»: the operator has checked the МЧД in the register (by its link). */
  async markRegistryChecked(proxyId: number, version: number): Promise<void> {
    const { proxy } = await this.card(proxyId);
    if (proxy.poa_kind !== "mchd") throw new ProxyError("У этой заявки нет МЧД: отметка о реестре не нужна.", 422);
    await this.markInReview(
      proxy.id,
      version,
      {
        registry_checked_at: this.ctx.clock.now().toISOString(),
        registry_checked_by: this.operator.id,
        registry_status: "manual",
      },
      "proxy.registry_checked",
    );
  }

  /** An operator's mark on a proxy in review (paper copy, register): a versioned update and its audit entry. */
  private async markInReview(
    proxyId: number,
    version: number,
    values:
      | { paper_copy_received_at: string }
      | { registry_checked_at: string; registry_checked_by: number; registry_status: string },
    action: "proxy.paper_copy_received" | "proxy.registry_checked",
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable("proxies")
        .set({ ...values, version: version + 1 })
        .where("id", "=", proxyId)
        .where(this.scope())
        .where("status", "=", "in_review")
        .where("version", "=", version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw await this.conflict(trx, proxyId);
      await recordAuditEvent(trx, this.ctx.clock, {
        action,
        actorId: this.operator.id,
        subjectType: "proxy",
        subjectId: proxyId,
        ip: this.ctx.ip,
        details,
      });
    });
  }

  /**
   * «Утвердить». The mark approval needs (the paper copy for a PDF, the register for an МЧД) may come in the same
   * step: ticked on the decision form, it is recorded with the decision in one transaction, or not at all.
   */
  async approve(proxyId: number, version: number, marks: ApprovalMarks = {}): Promise<void> {
    const { proxy } = await this.card(proxyId);
    const withMarks: DecisionMarks = { values: {}, audits: [] };
    if (proxy.status === "in_review" && proxy.poa_kind === "mchd" && !proxy.registry_checked_at) {
      if (!marks.registryChecked)
        throw new ProxyError(
          "Утвердить МЧД можно после проверки в реестре ФНС: откройте ссылку реестра и отметьте «Проверена в реестре ФНС».",
          422,
          "registryChecked",
        );
      withMarks.values = {
        registry_checked_at: this.ctx.clock.now().toISOString(),
        registry_checked_by: this.operator.id,
        registry_status: "manual",
      };
      withMarks.audits.push({ action: "proxy.registry_checked" });
    }
    if (proxy.status === "in_review" && proxy.poa_kind !== "mchd" && !proxy.paper_copy_received_at) {
      if (!marks.paperCopyReceivedOn)
        throw new ProxyError(
          "Утвердить можно только после получения бумажной копии доверенности: отметьте «Бумажная копия получена».",
          422,
          "paperCopy",
        );
      this.checkPaperCopyDate(proxy, marks.paperCopyReceivedOn);
      withMarks.values = { paper_copy_received_at: marks.paperCopyReceivedOn };
      withMarks.audits.push({
        action: "proxy.paper_copy_received",
        details: { receivedOn: marks.paperCopyReceivedOn },
      });
    }
    await this.decide(proxy, version, "approved", null, withMarks);
  }

  /** The proxy to open after this one: the next in review in the operator's scope, by deadline; null when none. */
  async nextAfter(proxyId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom("proxies")
      .select("id")
      .where(this.scope())
      .where("status", "=", "in_review")
      .where("id", "!=", proxyId)
      .orderBy("sla_due_at")
      .orderBy("id")
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async reject(proxyId: number, version: number, reason: string): Promise<void> {
    const text = reason.trim().replace(/\s+/g, " ");
    if (!text)
      throw new ProxyError(
        "Укажите причину отказа: представитель увидит её в письме и в списке организаций.",
        422,
        "reason",
      );
    if (text.length > REJECTION_REASON_MAX)
      throw new ProxyError(`Причина отказа: не длиннее ${REJECTION_REASON_MAX} символов.`, 422, "reason");
    const { proxy } = await this.card(proxyId);
    await this.decide(proxy, version, "rejected", text);
  }

  private async decide(
    proxy: Awaited<ReturnType<OfficeQueue["card"]>>["proxy"],
    version: number,
    status: "approved" | "rejected",
    reason: string | null,
    marks: DecisionMarks = { values: {}, audits: [] },
  ): Promise<void> {
    const now = this.ctx.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      let update = trx
        .updateTable("proxies")
        .set({
          ...marks.values,
          status,
          // The approved term is the one decided now; a refusal leaves nothing approved.
          approved_valid_from: status === "approved" ? proxy.valid_from : null,
          approved_valid_to: status === "approved" ? proxy.valid_to : null,
          decided_at: now,
          decided_by: this.operator.id,
          rejection_reason: reason,
          version: version + 1,
        })
        .where("id", "=", proxy.id)
        .where(this.scope())
        .where("status", "=", "in_review")
        .where("version", "=", version);
      if (status === "approved" && !marks.audits.length)
        update = update.where(
          proxy.poa_kind === "mchd" ? "registry_checked_at" : "paper_copy_received_at",
          "is not",
          null,
        );
      const res = await update.executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw await this.conflict(trx, proxy.id);
      for (const mark of marks.audits)
        await recordAuditEvent(trx, this.ctx.clock, {
          action: mark.action,
          actorId: this.operator.id,
          subjectType: "proxy",
          subjectId: proxy.id,
          ip: this.ctx.ip,
          details: mark.details,
        });
      await recordAuditEvent(trx, this.ctx.clock, {
        action: status === "approved" ? "proxy.approved" : "proxy.rejected",
        actorId: this.operator.id,
        subjectType: "proxy",
        subjectId: proxy.id,
        ip: this.ctx.ip,
        details: reason ? { reason } : undefined,
      });
      await enqueueMail(trx, this.ctx.clock, {
        recipient: proxy.email,
        purpose: `proxy-${status}`,
        userId: proxy.representative_id,
        ...proxyDecisionLetter({
          givenName: proxy.given_name,
          patronymic: proxy.patronymic,
          organization: proxy.full_name,
          regnum: proxy.regnum,
          inn: proxy.inn,
          approved: status === "approved",
          reason,
          term:
            proxy.valid_from && proxy.valid_to
              ? `с ${formatDate(proxy.valid_from + "T12:00:00Z")} по ${formatDate(proxy.valid_to + "T12:00:00Z")}`
              : "",
          link: `${this.ctx.appUrl}/profile/representative`,
        }),
      });
    });
  }
}

const QUEUE_STATES = ["paper-received", "paper-awaited", "mchd", "calendar-changed"] as const;

/** The queue's filter and order from the page's address (the same for the page and its downloads). */
export function queueFilterOf(params: URLSearchParams): QueueFilter {
  const state = params.get("state") ?? "";
  const sort = params.get("sort") ?? "";
  const pageRaw = Number(params.get("page") ?? "1");
  return {
    overdueOnly: params.get("overdue") === "1",
    q: params.get("q") ?? "",
    page: Number.isInteger(pageRaw) && pageRaw > 0 && pageRaw < 1e6 ? pageRaw : 1,
    subdivision: (params.get("subdivision") ?? "").replace(/\D/g, "").slice(0, 4),
    state: (QUEUE_STATES as readonly string[]).includes(state) ? (state as QueueFilter["state"]) : undefined,
    sort: sort in QUEUE_SORT_COLUMNS ? (sort as QueueSort) : undefined,
    dir: params.get("dir") === "desc" ? "desc" : undefined,
  };
}

/** The queue as a table to download: what the page shows, every row of the filter. */
export function queueExportTable(rows: Awaited<ReturnType<OfficeQueue["list"]>>["rows"], timeZone: string): string[][] {
  const date = (iso: string | null) => (iso ? formatDateTime(iso, timeZone) : "");
  return [
    [
      "Поступила",
      "Проверить до",
      "Рабочих дней осталось",
      "Представитель",
      "Электронная почта",
      "Организация",
      "Рег. номер",
      "Подразделение",
      "ИНН",
      "Срок доверенности",
      "Документ",
      "Бумажная копия",
    ],
    ...rows.map((r) => [
      date(r.submitted_at),
      date(r.sla_due_at),
      r.overdue ? "просрочено" : String(r.workingDaysLeft),
      [r.surname, r.given_name, r.patronymic].filter(Boolean).join(" "),
      r.email,
      r.short_name,
      r.regnum,
      r.subdivision_code ?? r.regnum.slice(0, 4),
      r.inn,
      r.valid_from && r.valid_to
        ? `${formatDate(r.valid_from + "T12:00:00Z")} – ${formatDate(r.valid_to + "T12:00:00Z")}`
        : "",
      r.poa_kind === "mchd" ? "МЧД" : "PDF",
      r.paper_copy_received_at
        ? formatDate(r.paper_copy_received_at + "T12:00:00Z")
        : r.poa_kind === "mchd"
          ? "—"
          : "ждём",
    ]),
  ];
}
