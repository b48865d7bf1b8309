// The representative's organisations and powers of attorney. Every query is scoped to the
// representative, so a guessed id finds nothing (404) instead of someone else's proxy.
// A proxy is «Не заполнено» until both the term and the PDF are given; then «На проверке» with a
// deadline of 5 working days in the office's time zone, and the office gets a letter. Changing the
// term or the PDF of a proxy under review or decided sends it back to review.
import { poaDownloadName } from "./poa-file.server";
import { removeStoredFile, storeFile } from "../web/stored-files.server";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { Db, DbOrTx } from "../../db/index.server";
import type { ProxyStatus } from "../../db/schema";
import type { Clock } from "../clock.server";
import type { DatabaseKind } from "../config.server";
import { recordAuditEvent } from "../audit/journal.server";
import { calendarIsDraft, localDate, reviewDeadline } from "../calendar";
import { enqueueMail } from "../mail/outbox.server";
import { proxySubmittedLetter } from "../mail/templates.server";
import { formatDate, formatDateTime } from "../web/format";
import { checkInn, checkRegistrationNumber } from "../organizations/identifiers";
import { normaliseOrganizationName } from "../organizations/names";
import { CertificateRequiredError, ProxyError, ProxyNotFoundError } from "./errors.server";
import { inspectPoaPdf, PoaRefused } from "./poa-file.server";
import { matchPoaFiles, matchedBy } from "./poa-batch.server";
import { MCHD_SIGNATURE_MAX_BYTES, MchdRefused, readMchd, type Mchd } from "./mchd.server";
import { firstMchdRefusal, MchdSignatureRefused, verifyMchdSignature } from "./mchd-rules.server";
import type { MchdRegistry, RegistryAnswer } from "./mchd-registry.server";
import { mchdDraftXml } from "./mchd-draft.server";
import type { ChainEntry } from "../certificates/trust.server";
import { caLabel } from "../certificates/trust.server";
import { personName } from "../certificates/holder";

export const PROXY_PAGE_SIZE = 50;
export const BULK_LIST_MAX = 5000;

export interface ProxiesContext {
  db: Db;
  clock: Clock;
  dbKind: DatabaseKind;
  uploadsDir: string;
  appUrl: string;
  ip: string | null;
  mchdRegistry: MchdRegistry;
}

/** What the portal keeps of an uploaded МЧД (proxies.mchd). */
export interface MchdRecord extends Mchd {
  signer: { name: string; snils: string | null; sha1: string; issuer: string; notAfter: string };
  signedChain: ChainEntry[];
  registry: RegistryAnswer;
}

export const PROXY_SORTS = ["attention", "name", "status", "deadline", "term"] as const;
export type ProxySort = (typeof PROXY_SORTS)[number];

export interface ProxyListFilter {
  status?: ProxyStatus;
  q?: string;
  /** A branch code (RR00): the organisations of one region. */
  region?: string;
  sort?: ProxySort;
  page?: number;
}

/** An approved proxy whose term ends within this many days is shown as needing action. */
export const EXPIRING_DAYS = 30;

function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return (
    !Number.isNaN(d.getTime()) &&
    d.toISOString().slice(0, 10) === value &&
    value >= "2000-01-01" &&
    value <= "2099-12-31"
  );
}

export class RepresentativeProxies {
  private constructor(
    private readonly ctx: ProxiesContext,
    readonly representativeId: number,
  ) {}

  static for(ctx: ProxiesContext, representativeId: number): RepresentativeProxies {
    return new RepresentativeProxies(ctx, representativeId);
  }

  private get db() {
    return this.ctx.db;
  }

  private audit(
    db: DbOrTx,
    action: Parameters<typeof recordAuditEvent>[2]["action"],
    proxyId: number,
    details?: Record<string, unknown>,
  ) {
    return recordAuditEvent(db, this.ctx.clock, {
      action,
      actorId: this.representativeId,
      subjectType: "proxy",
      subjectId: proxyId,
      ip: this.ctx.ip,
      details,
    });
  }

  /** Adding organisations needs a current certificate that is valid today. */
  async requireValidCertificate(): Promise<void> {
    const now = this.ctx.clock.now().toISOString();
    const cert = await this.db
      .selectFrom("certificates")
      .select("id")
      .where("user_id", "=", this.representativeId)
      .where("status", "=", "current")
      .where("not_before", "<=", now)
      .where("not_after", ">=", now)
      .executeTakeFirst();
    if (!cert) throw new CertificateRequiredError();
  }

  /** Adds organisations as «Не заполнено»; those already represented are reported, not added twice. */
  async add(organizationIds: number[]): Promise<{ added: number[]; already: number[] }> {
    await this.requireValidCertificate();
    const ids = [...new Set(organizationIds.filter((n) => Number.isInteger(n) && n > 0))];
    if (!ids.length) throw new ProxyError("Отметьте хотя бы одну организацию.", 422);
    const found = await this.db
      .selectFrom("organizations")
      .select(["id", "territorial_body_code"])
      .where("id", "in", ids)
      .where("active", "=", 1)
      .execute();
    const officeOf = new Map(found.map((o) => [o.id, o.territorial_body_code]));
    const live = new Set(
      (
        await this.db
          .selectFrom("proxies")
          .select("organization_id")
          .where("representative_id", "=", this.representativeId)
          .where("status", "!=", "withdrawn")
          .where("organization_id", "in", ids)
          .execute()
      ).map((p) => p.organization_id),
    );
    const toAdd = found.map((o) => o.id).filter((id) => !live.has(id));
    const added: number[] = [];
    const now = this.ctx.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      for (const organizationId of toAdd) {
        // Two tabs adding the same organisation at once: the partial unique index lets one row in.
        const row = await trx
          .insertInto("proxies")
          .values({
            representative_id: this.representativeId,
            organization_id: organizationId,
            office_code: officeOf.get(organizationId) ?? null,
            status: "not_filled",
            created_at: now,
            valid_from: null,
            valid_to: null,
            poa_file_id: null,
            submitted_at: null,
            sla_due_at: null,
            decided_at: null,
            decided_by: null,
            rejection_reason: null,
            paper_copy_received_at: null,
            withdrawn_at: null,
            expiry_reminded_30_at: null,
            expiry_reminded_7_at: null,
          })
          .onConflict((oc) =>
            oc
              .columns(["representative_id", "organization_id"])
              .where(sql.ref("status"), "!=", sql.lit("withdrawn"))
              .doNothing(),
          )
          .returning("id")
          .executeTakeFirst();
        if (!row) continue;
        await this.audit(trx, "proxy.added", row.id, { organizationId });
        added.push(organizationId);
      }
    });
    return { added, already: ids.filter((id) => live.has(id)) };
  }

  /** A pasted or uploaded list of ИНН / registration numbers (CSV or one per line). */
  async addByList(text: string): Promise<BulkAddReport> {
    await this.requireValidCertificate();
    const tokens = [
      ...new Set(
        text
          .split(/[\s,;]+/)
          .map((t) => t.replace(/^["']|["']$/g, "").trim())
          .filter(Boolean),
      ),
    ];
    if (!tokens.length) throw new ProxyError("Вставьте или загрузите список ИНН или регистрационных номеров.", 422);
    if (tokens.length > BULK_LIST_MAX)
      throw new ProxyError(`В списке больше ${BULK_LIST_MAX} номеров. Разделите его на части.`, 422);
    const rows: BulkAddRow[] = [];
    const found = new Map<string, { id: number; name: string }>();
    for (const token of tokens) {
      // a header such as «inn» or «ИНН» in a CSV is skipped
      if (/^(инн|inn|regnum|рег)/i.test(token)) continue;
      const regnum = checkRegistrationNumber(token);
      const inn = checkInn(token);
      if (!regnum.ok && !inn.ok) {
        rows.push({
          token,
          outcome: "invalid",
          message: /^\d+$/.test(token) ? inn.message : "не ИНН и не рег. номер: в них только цифры",
        });
        continue;
      }
      let org = regnum.ok
        ? await this.db
            .selectFrom("organizations")
            .select(["id", "short_name"])
            .where("regnum", "=", regnum.value)
            .where("active", "=", 1)
            .executeTakeFirst()
        : undefined;
      if (!org && inn.ok)
        org = await this.db
          .selectFrom("organizations")
          .select(["id", "short_name"])
          .where("inn", "=", inn.value)
          .where("active", "=", 1)
          .orderBy("id")
          .executeTakeFirst();
      if (org) found.set(token, { id: org.id, name: org.short_name });
      else
        rows.push({
          token,
          outcome: !inn.ok && token.length === 10 ? "invalid" : "not-found",
          // Ten digits that are no registration number in the registry and no valid ИНН: most likely a typo.
          message:
            !inn.ok && token.length === 10
              ? `рег. номера ${token} нет в реестре, а как ИНН он с ошибкой: ${inn.message}`
              : "не найден в реестре СФР",
        });
    }
    const result = found.size ? await this.add([...found.values()].map((f) => f.id)) : { added: [], already: [] };
    const addedIds = new Set(result.added);
    for (const [token, org] of found)
      rows.push({
        token,
        outcome: addedIds.has(org.id) ? "added" : "already",
        message: addedIds.has(org.id) ? `добавлена: ${org.name}` : `уже в вашем списке: ${org.name}`,
      });
    const order = new Map(tokens.map((t, i) => [t, i]));
    rows.sort((a, b) => order.get(a.token)! - order.get(b.token)!);
    const count = (outcome: BulkAddRow["outcome"]) => rows.filter((r) => r.outcome === outcome).length;
    return {
      rows,
      added: count("added"),
      already: count("already"),
      notFound: count("not-found"),
      invalid: count("invalid"),
    };
  }

  private scoped() {
    return this.db
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .where("proxies.representative_id", "=", this.representativeId)
      .where("proxies.status", "!=", "withdrawn");
  }

  /** The list's filter as one condition, shared by the list and «Выбрать все N по отбору». */
  private filterCondition(filter: ProxyListFilter) {
    const parts = [sql`1 = 1`];
    if (filter.status) parts.push(sql`proxies.status = ${filter.status}`);
    if (filter.region && /^\d{4}$/.test(filter.region))
      parts.push(
        sql`proxies.organization_id IN (SELECT organizations.id FROM organizations WHERE organizations.territorial_body_code = ${filter.region})`,
      );
    const text = filter.q?.trim();
    if (text) {
      const digits = text.replace(/\s/g, "");
      // On the proxy's own copy of the organisation's numbers and name (migration 0018): no join needed.
      if (/^\d+$/.test(digits)) {
        parts.push(
          sql`(proxies.organization_inn LIKE ${digits + "%"} OR proxies.organization_regnum LIKE ${digits + "%"})`,
        );
      } else {
        const name = normaliseOrganizationName(text).replace(/[\\%_]/g, (c) => `\\${c}`);
        parts.push(sql`proxies.organization_search_name LIKE ${"%" + name + "%"} ESCAPE '\\'`);
      }
    }
    return sql<boolean>`(${sql.join(parts, sql` AND `)})`;
  }

  private filtered<Q extends { where: (e: ReturnType<RepresentativeProxies["filterCondition"]>) => Q }>(
    q: Q,
    filter: ProxyListFilter,
  ): Q {
    return q.where(this.filterCondition(filter));
  }

  /**
   * The list's proxies alone: sorting and filtering read the proxy's copy of the organisation's name and numbers
   * (the branch through a subquery), so a page of a list of thousands joins only its own 50 rows (one index probe
   * into a registry of a million per proxy was the cost).
   */
  private listed(filter: ProxyListFilter) {
    return this.db
      .selectFrom("proxies")
      .where("proxies.representative_id", "=", this.representativeId)
      .where("proxies.status", "!=", "withdrawn")
      .where(this.filterCondition(filter));
  }

  async list(filter: ProxyListFilter = {}) {
    const page = Math.max(1, Math.floor(filter.page ?? 1));
    // Counts by status come from the proxies alone (an index), without touching the registry.
    const counts = await this.db
      .selectFrom("proxies")
      .select(["status"])
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("representative_id", "=", this.representativeId)
      .where("status", "!=", "withdrawn")
      .groupBy("status")
      .execute();
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Partial<
      Record<ProxyStatus, number>
    >;
    const total =
      filter.q?.trim() || filter.region
        ? Number(
            (
              await this.listed(filter)
                .select((eb) => eb.fn.countAll<number>().as("n"))
                .executeTakeFirstOrThrow()
            ).n,
          )
        : filter.status
          ? (byStatus[filter.status] ?? 0)
          : Object.values(byStatus).reduce((a, b) => a + (b ?? 0), 0);
    const today = localDate(this.ctx.clock.now(), "Europe/Moscow");
    const soon = addDaysIso(today, EXPIRING_DAYS);
    const sort = filter.sort ?? "attention";
    let ordered = this.listed(filter).select("proxies.id");
    // What needs the representative first: refused, expiring within 30 days, not filled; then the rest.
    const attention = sql`CASE WHEN proxies.status = 'rejected' THEN 0 WHEN proxies.status = 'approved' AND proxies.valid_to <= ${soon} THEN 1 WHEN proxies.status = 'not_filled' THEN 2 WHEN proxies.status = 'expired' THEN 3 WHEN proxies.status = 'in_review' THEN 4 ELSE 5 END`;
    const nullsLast = (column: string) => sql`CASE WHEN ${sql.ref(column)} IS NULL THEN 1 ELSE 0 END`;
    if (sort === "attention") ordered = ordered.orderBy(attention);
    if (sort === "status")
      ordered = ordered.orderBy(
        sql`CASE proxies.status WHEN 'rejected' THEN 0 WHEN 'not_filled' THEN 1 WHEN 'in_review' THEN 2 WHEN 'approved' THEN 3 ELSE 4 END`,
      );
    if (sort === "deadline") ordered = ordered.orderBy(nullsLast("proxies.sla_due_at")).orderBy("proxies.sla_due_at");
    if (sort === "term") ordered = ordered.orderBy(nullsLast("proxies.valid_to")).orderBy("proxies.valid_to");
    const ids = (
      await ordered
        .orderBy("proxies.organization_search_name")
        .orderBy("proxies.id")
        .limit(PROXY_PAGE_SIZE)
        .offset((page - 1) * PROXY_PAGE_SIZE)
        .execute()
    ).map((r) => r.id);
    const found = ids.length
      ? await this.scoped()
          .select([
            "proxies.id",
            "proxies.status",
            "proxies.valid_from",
            "proxies.valid_to",
            "proxies.poa_file_id",
            "proxies.poa_kind",
            "proxies.submitted_at",
            "proxies.sla_due_at",
            "proxies.rejection_reason",
            "proxies.approved_valid_from",
            "proxies.approved_valid_to",
            "organizations.regnum",
            "organizations.inn",
            "organizations.short_name",
            "organizations.full_name",
            "organizations.territorial_body_code",
          ])
          .where("proxies.id", "in", ids)
          .execute()
      : [];
    const byId = new Map(found.map((r) => [r.id, r]));
    const rows = ids.flatMap((id) => byId.get(id) ?? []);
    return {
      rows: rows.map((r) => ({
        ...r,
        expiringSoon: r.status === "approved" && r.valid_to !== null && r.valid_to <= soon,
      })),
      total,
      page,
      pages: Math.max(1, Math.ceil(total / PROXY_PAGE_SIZE)),
      counts: byStatus,
    };
  }

  /** The branches of the representative's organisations, for the list's «Отделение СФР» filter. */
  async regions() {
    return this.scoped()
      .innerJoin("territorial_bodies", "territorial_bodies.code", "organizations.territorial_body_code")
      .select(["territorial_bodies.code", "territorial_bodies.region"])
      .distinct()
      .orderBy("territorial_bodies.code")
      .execute();
  }

  /** Every live proxy of the representative, for the API (no paging: a few thousand rows at most). */
  async all() {
    return this.scoped()
      .select([
        "organizations.regnum",
        "organizations.inn",
        "organizations.kpp",
        "organizations.short_name",
        "organizations.full_name",
        "proxies.status",
        "proxies.valid_from",
        "proxies.valid_to",
        "proxies.submitted_at",
        "proxies.sla_due_at",
        "proxies.decided_at",
        "proxies.rejection_reason",
        "proxies.poa_kind",
        "proxies.mchd_number",
      ])
      .orderBy("organizations.regnum")
      .execute();
  }

  async get(proxyId: number) {
    if (!Number.isInteger(proxyId) || proxyId <= 0) throw new ProxyNotFoundError();
    const row = await this.scoped()
      .innerJoin("territorial_bodies", "territorial_bodies.code", "organizations.territorial_body_code")
      .select([
        "proxies.id",
        "proxies.status",
        "proxies.version",
        "proxies.valid_from",
        "proxies.valid_to",
        "proxies.poa_file_id",
        "proxies.poa_kind",
        "proxies.mchd_number",
        "proxies.mchd_signature_file_id",
        "proxies.organization_id",
        "organizations.regnum",
        "organizations.inn",
        "organizations.kpp",
        "organizations.ogrn",
        "organizations.short_name",
        "organizations.full_name",
        "organizations.address",
        "territorial_bodies.name as office_name",
        "territorial_bodies.email as office_email",
        "territorial_bodies.time_zone as office_time_zone",
      ])
      .where("proxies.id", "=", proxyId)
      .executeTakeFirst();
    if (!row) throw new ProxyNotFoundError();
    return row;
  }

  /** «Редактировать срок действия»: «по» not before «с» and not in the past; «с» may be in the past. */
  async setTerm(proxyId: number, validFrom: string, validTo: string): Promise<{ status: ProxyStatus }> {
    const proxy = await this.get(proxyId);
    this.checkTerm(validFrom, validTo, proxy.office_time_zone);
    return this.db.transaction().execute(async (trx) => {
      await this.updateVersioned(trx, proxy.id, proxy.version, { valid_from: validFrom, valid_to: validTo });
      await this.audit(trx, "proxy.term_set", proxy.id, { validFrom, validTo });
      return this.submitIfComplete(trx, proxy.id);
    });
  }

  private checkTerm(validFrom: string, validTo: string, timeZone: string): void {
    const errors: Record<string, string> = {};
    if (!validDate(validFrom)) errors.validFrom = "Укажите дату начала действия доверенности в формате ДД.ММ.ГГГГ.";
    if (!validDate(validTo)) errors.validTo = "Укажите дату окончания действия доверенности в формате ДД.ММ.ГГГГ.";
    const today = localDate(this.ctx.clock.now(), timeZone);
    if (!errors.validTo && validTo < today)
      errors.validTo = `Дата окончания уже прошла: доверенность должна действовать хотя бы до сегодняшнего дня (${formatDate(today + "T12:00:00Z")}).`;
    if (!errors.validFrom && !errors.validTo && validTo < validFrom)
      errors.validTo = "Дата окончания не может быть раньше даты начала.";
    if (Object.keys(errors).length) throw new TermInvalid(errors);
  }

  /**
   * The proxies a bulk action is for: the ticked ones (each must be the representative's own and live), or every
   * one the list's filter selects («Выбрать все N по отбору»), at most BULK_SELECTION_MAX.
   */
  async selection(choice: { ids: number[] } | { filter: ProxyListFilter }) {
    let q = this.scoped()
      .innerJoin("territorial_bodies", "territorial_bodies.code", "organizations.territorial_body_code")
      .select([
        "proxies.id",
        "proxies.version",
        "proxies.status",
        "organizations.short_name",
        "organizations.regnum",
        "territorial_bodies.time_zone as office_time_zone",
      ]);
    if ("ids" in choice) {
      const ids = [...new Set(choice.ids)].filter((id) => Number.isInteger(id) && id > 0);
      if (!ids.length) throw new ProxyError("Отметьте организации в списке.", 422);
      if (ids.length > BULK_SELECTION_MAX)
        throw new ProxyError(`За один раз — не больше ${BULK_SELECTION_MAX} организаций.`, 422);
      const rows = await q.where("proxies.id", "in", ids).orderBy("organizations.short_name").execute();
      if (rows.length !== ids.length) throw new ProxyNotFoundError();
      return rows;
    }
    q = this.filtered(q, choice.filter);
    const rows = await q
      .orderBy("organizations.short_name")
      .limit(BULK_SELECTION_MAX + 1)
      .execute();
    if (!rows.length) throw new ProxyError("По этому отбору нет ни одной организации.", 422);
    if (rows.length > BULK_SELECTION_MAX)
      throw new ProxyError(
        `По отбору больше ${BULK_SELECTION_MAX} организаций: уточните отбор (статус, поиск) и повторите.`,
        422,
      );
    return rows;
  }

  /**
   * «Указать срок для выбранных»: one term for many proxies, all in one transaction — every one is saved (and those
   * with a PDF go to review) or, when one changed meanwhile, none.
   */
  async setTermMany(
    choice: { ids: number[] } | { filter: ProxyListFilter },
    validFrom: string,
    validTo: string,
  ): Promise<{ saved: number; submitted: number }> {
    const proxies = await this.selection(choice);
    for (const p of proxies) this.checkTerm(validFrom, validTo, p.office_time_zone);
    return this.db.transaction().execute(async (trx) => {
      let submitted = 0;
      for (const p of proxies) {
        await this.updateVersioned(trx, p.id, p.version, { valid_from: validFrom, valid_to: validTo });
        await this.audit(trx, "proxy.term_set", p.id, { validFrom, validTo, bulk: true });
        if ((await this.submitIfComplete(trx, p.id)).status === "in_review") submitted++;
      }
      return { saved: proxies.length, submitted };
    });
  }

  /**
   * «Загрузить доверенности пакетом»: every scan goes to the organisation its file name names (see poa-batch); each
   * is attached on its own like «Загрузить доверенность», so one bad PDF does not stop the others.
   */
  async attachPoaBatch(files: Array<{ name: string; bytes: Buffer }>): Promise<PoaBatchRow[]> {
    const proxies = await this.scoped()
      .select([
        "proxies.id",
        "organizations.regnum",
        "organizations.sfr_regnum",
        "organizations.inn",
        "organizations.short_name",
      ])
      .execute();
    const rows: PoaBatchRow[] = [];
    for (const match of matchPoaFiles(
      files.map((f) => f.name),
      proxies,
    )) {
      const file = files[rows.length];
      if (!match.proxy) {
        rows.push({ file: match.name, organization: null, outcome: "unmatched", message: match.reason });
        continue;
      }
      const organization = { regnum: match.proxy.regnum, name: match.proxy.short_name };
      try {
        const { status } = await this.attachPoa(match.proxy.id, { buffer: file.bytes, originalName: file.name });
        rows.push({
          file: match.name,
          organization,
          outcome: status === "in_review" ? "submitted" : "attached",
          message:
            status === "in_review"
              ? `загружена ${matchedBy(match)} и направлена на проверку`
              : `загружена ${matchedBy(match)}; укажите срок действия`,
        });
      } catch (error) {
        if (!(error instanceof PoaRefused || error instanceof ProxyError)) throw error;
        rows.push({ file: match.name, organization, outcome: "refused", message: error.message });
      }
    }
    return rows;
  }

  /** «Загрузить доверенность»: the file is checked, moved into uploads under a random name, then recorded. */
  async attachPoa(
    proxyId: number,
    upload: { path?: string; buffer?: Buffer; originalName: string },
  ): Promise<{ status: ProxyStatus; pages: number }> {
    const proxy = await this.get(proxyId);
    const bytes = upload.buffer ?? (await fs.readFile(upload.path!));
    const { pages } = await inspectPoaPdf(bytes);
    const now = this.ctx.clock.now();
    const { relative, absolute: target } = await storeFile(
      this.ctx.uploadsDir,
      "poa",
      upload.path ? { tempPath: upload.path } : { bytes },
      now,
    );
    try {
      return await this.db.transaction().execute(async (trx) => {
        const file = await trx
          .insertInto("files")
          .values({
            kind: "poa",
            owner_id: this.representativeId,
            sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
            size: bytes.length,
            pages,
            original_name: upload.originalName.slice(0, 300) || "доверенность.pdf",
            stored_path: relative,
            created_at: now.toISOString(),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await this.updateVersioned(trx, proxy.id, proxy.version, {
          poa_file_id: file.id,
          poa_kind: "pdf",
          mchd_number: null,
          mchd: null,
          mchd_signature_file_id: null,
          registry_checked_at: null,
          registry_checked_by: null,
          registry_status: null,
        });
        await this.audit(trx, "proxy.poa_uploaded", proxy.id, { fileId: file.id, size: bytes.length, pages });
        const result = await this.submitIfComplete(trx, proxy.id);
        return { ...result, pages };
      });
    } catch (error) {
      await removeStoredFile(target); // nothing half-written stays behind
      throw error;
    }
  }

  /**
   * «Загрузить МЧД»: the XML is read and cross-checked with this organisation, this account and its certificate,
   * the detached signature verified with the head's qualified certificate, the register asked; then both files are
   * stored, the term is taken from the МЧД and the proxy goes to review. Nothing is written on refusal.
   */
  async attachMchd(
    proxyId: number,
    upload: {
      xml: { path?: string; buffer?: Buffer; originalName: string };
      signature: { path?: string; buffer?: Buffer };
    },
  ): Promise<{ status: ProxyStatus; mchd: MchdRecord }> {
    const proxy = await this.get(proxyId);
    const xml = upload.xml.buffer ?? (await fs.readFile(upload.xml.path!));
    const signature = upload.signature.buffer ?? (await fs.readFile(upload.signature.path!));
    if (signature.length > MCHD_SIGNATURE_MAX_BYTES)
      throw new ProxyError("Файл подписи больше 256 КБ — это не отсоединённая подпись МЧД.", 422, "signature");
    let mchd: Mchd;
    try {
      mchd = readMchd(xml);
    } catch (error) {
      if (error instanceof MchdRefused) throw new ProxyError(error.message, 422, "mchd");
      throw error;
    }
    const now = this.ctx.clock.now();
    const user = await this.db
      .selectFrom("users")
      .select(["surname", "given_name", "patronymic"])
      .where("id", "=", this.representativeId)
      .executeTakeFirstOrThrow();
    const certificate = await this.db
      .selectFrom("certificates")
      .select(["snils", "inn"])
      .where("user_id", "=", this.representativeId)
      .where("status", "=", "current")
      .executeTakeFirst();
    const refusal = firstMchdRefusal({
      mchd,
      organization: { inn: proxy.inn, kpp: proxy.kpp, ogrn: proxy.ogrn, shortName: proxy.short_name },
      account: { surname: user.surname, givenName: user.given_name, patronymic: user.patronymic },
      certificate: certificate ?? null,
      today: localDate(now, proxy.office_time_zone),
    });
    if (refusal) throw new ProxyError(refusal.message, 422, "mchd");
    let signed;
    try {
      signed = await verifyMchdSignature(this.db, xml, signature, mchd, now);
    } catch (error) {
      if (error instanceof MchdSignatureRefused) throw new ProxyError(error.message, 422, "signature");
      throw error;
    }
    const registry = await this.ctx.mchdRegistry.check({
      number: mchd.number,
      principalInn: mchd.principal.inn,
      representativeInn: mchd.representative.inn,
    });
    if (registry.status === "revoked" || registry.status === "not-found") {
      throw new ProxyError(
        registry.status === "revoked"
          ? `МЧД ${mchd.number} отменена в реестре ФНС${registry.detail ? ` (${registry.detail})` : ""}: по ней нельзя действовать.`
          : `МЧД ${mchd.number} не найдена в реестре ФНС: доверенность нужно зарегистрировать в реестре.`,
        422,
        "mchd",
      );
    }
    const record: MchdRecord = {
      ...mchd,
      signer: {
        name: signed.signer.holder ? personName(signed.signer.holder) : (signed.signer.subjectCommonName ?? ""),
        snils: signed.signer.subject.snils ?? null,
        sha1: signed.signer.sha1,
        issuer: signed.chain[0] ? caLabel(signed.chain[0]) : (signed.signer.issuerCommonName ?? ""),
        notAfter: signed.signer.notAfter.toISOString(),
      },
      signedChain: signed.chain,
      registry,
    };
    const stored: Array<{ relative: string; absolute: string }> = [];
    try {
      for (const [kind, bytes, from] of [
        ["mchd", xml, upload.xml],
        ["mchd-sig", signature, upload.signature],
      ] as const) {
        stored.push(await storeFile(this.ctx.uploadsDir, kind, from.path ? { tempPath: from.path } : { bytes }, now));
      }
      return await this.db.transaction().execute(async (trx) => {
        const fileRow = (kind: "mchd" | "mchd-sig", bytes: Buffer, relative: string, name: string) =>
          trx
            .insertInto("files")
            .values({
              kind,
              owner_id: this.representativeId,
              sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
              size: bytes.length,
              pages: null,
              original_name: name,
              stored_path: relative,
              created_at: now.toISOString(),
            })
            .returning("id")
            .executeTakeFirstOrThrow();
        const xmlFile = await fileRow(
          "mchd",
          xml,
          stored[0].relative,
          upload.xml.originalName.slice(0, 300) || "мчд.xml",
        );
        const sigFile = await fileRow("mchd-sig", signature, stored[1].relative, "мчд.sig");
        await this.updateVersioned(trx, proxy.id, proxy.version, {
          poa_file_id: xmlFile.id,
          poa_kind: "mchd",
          mchd_number: mchd.number,
          mchd: JSON.stringify(record),
          mchd_signature_file_id: sigFile.id,
          valid_from: mchd.issuedOn,
          valid_to: mchd.validTo,
          registry_checked_at: registry.status === "valid" ? now.toISOString() : null,
          registry_checked_by: null,
          registry_status: registry.status,
        });
        await this.audit(trx, "proxy.poa_uploaded", proxy.id, {
          kind: "mchd",
          number: mchd.number,
          fileId: xmlFile.id,
          signatureFileId: sigFile.id,
          signer: record.signer.sha1,
          registry: registry.status,
        });
        const result = await this.submitIfComplete(trx, proxy.id);
        return { ...result, mchd: record };
      });
    } catch (error) {
      for (const f of stored) await removeStoredFile(f.absolute); // nothing half-written stays behind
      throw error;
    }
  }

  /** The upload page's view: the organisation and the МЧД uploaded, if any. */
  async mchdOf(proxyId: number) {
    const proxy = await this.get(proxyId);
    const row = await this.db
      .selectFrom("proxies")
      .select(["poa_kind", "mchd"])
      .where("id", "=", proxy.id)
      .executeTakeFirstOrThrow();
    const mchd = row.poa_kind === "mchd" && row.mchd ? (JSON.parse(row.mchd) as MchdRecord) : null;
    return {
      id: proxy.id,
      status: proxy.status,
      shortName: proxy.short_name,
      regnum: proxy.regnum,
      mchd: mchd ? { number: mchd.number, issuedOn: mchd.issuedOn, validTo: mchd.validTo } : null,
    };
  }

  /** «Образец МЧД» for this organisation and this representative (with the certificate's СНИЛС and ИНН). */
  async mchdDraft(proxyId: number): Promise<{ xml: string; regnum: string }> {
    const proxy = await this.get(proxyId);
    const user = await this.db
      .selectFrom("users")
      .select(["surname", "given_name", "patronymic"])
      .where("id", "=", this.representativeId)
      .executeTakeFirstOrThrow();
    const cert = await this.db
      .selectFrom("certificates")
      .select(["snils", "inn"])
      .where("user_id", "=", this.representativeId)
      .where("status", "=", "current")
      .executeTakeFirst();
    const { xml } = mchdDraftXml({
      organization: { fullName: proxy.full_name, inn: proxy.inn, kpp: proxy.kpp, ogrn: proxy.ogrn },
      representative: {
        surname: user.surname,
        givenName: user.given_name,
        patronymic: user.patronymic,
        inn: cert?.inn ?? null,
        snils: cert?.snils ?? null,
      },
      today: localDate(this.ctx.clock.now(), proxy.office_time_zone),
    });
    return { xml, regnum: proxy.regnum };
  }

  /** The МЧД's XML or its signature, of one of this representative's proxies. */
  async mchdFile(
    proxyId: number,
    which: "xml" | "signature",
  ): Promise<{ absolutePath: string; originalName: string; size: number }> {
    const proxy = await this.get(proxyId);
    const fileId = which === "xml" ? proxy.poa_file_id : proxy.mchd_signature_file_id;
    if (proxy.poa_kind !== "mchd" || !fileId) throw new ProxyNotFoundError();
    return this.ownFile(proxy.id, fileId, `мчд-${proxy.mchd_number}.${which === "xml" ? "xml" : "sig"}`);
  }

  /** «Удалить»: the proxy is withdrawn; its files stay for the record. */
  async withdraw(proxyId: number): Promise<void> {
    const proxy = await this.get(proxyId);
    await this.db.transaction().execute(async (trx) => {
      await this.updateVersioned(trx, proxy.id, proxy.version, {
        status: "withdrawn",
        withdrawn_at: this.ctx.clock.now().toISOString(),
      });
      await this.audit(trx, "proxy.withdrawn", proxy.id, { previousStatus: proxy.status });
    });
  }

  /** The uploaded PDF of one of this representative's proxies (an МЧД's XML is served by mchdFile). */
  async poaFile(proxyId: number): Promise<{ absolutePath: string; originalName: string; size: number }> {
    const proxy = await this.get(proxyId);
    if (!proxy.poa_file_id || proxy.poa_kind === "mchd") throw new ProxyNotFoundError();
    // Served under a name the portal makes, never the uploader's.
    return this.ownFile(proxy.id, proxy.poa_file_id, poaDownloadName(proxy.regnum));
  }

  /** A stored file this representative uploaded for the proxy, recorded as downloaded. */
  private async ownFile(proxyId: number, fileId: number, name: string) {
    const file = await this.db
      .selectFrom("files")
      .selectAll()
      .where("id", "=", fileId)
      .where("owner_id", "=", this.representativeId)
      .executeTakeFirst();
    if (!file) throw new ProxyNotFoundError();
    await this.audit(this.db, "proxy.poa_downloaded", proxyId, { fileId: file.id });
    return { absolutePath: path.join(this.ctx.uploadsDir, file.stored_path), originalName: name, size: file.size };
  }

  private async updateVersioned(
    trx: DbOrTx,
    proxyId: number,
    version: number,
    values: Record<string, unknown>,
  ): Promise<void> {
    const result = await trx
      .updateTable("proxies")
      .set({ ...values, version: version + 1 })
      .where("id", "=", proxyId)
      .where("representative_id", "=", this.representativeId)
      .where("version", "=", version)
      .where("status", "!=", "withdrawn")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new ProxyError(
        "Доверенность только что изменилась в другом окне или решением территориального органа. Обновите страницу и повторите.",
        409,
      );
    }
  }

  /** Term and PDF both present → «На проверке» with a new deadline, and the office is told. */
  private async submitIfComplete(trx: DbOrTx, proxyId: number): Promise<{ status: ProxyStatus }> {
    const p = await trx
      .selectFrom("proxies")
      .innerJoin("organizations", "organizations.id", "proxies.organization_id")
      .innerJoin("territorial_bodies", "territorial_bodies.code", "organizations.territorial_body_code")
      .innerJoin("users", "users.id", "proxies.representative_id")
      .select([
        "proxies.id",
        "proxies.status",
        "proxies.version",
        "proxies.valid_from",
        "proxies.valid_to",
        "proxies.poa_file_id",
        "proxies.submitted_at",
        "organizations.short_name",
        "organizations.regnum",
        "organizations.inn",
        "territorial_bodies.name as office_name",
        "territorial_bodies.email as office_email",
        "territorial_bodies.time_zone",
        "territorial_bodies.code as office_code",
        "territorial_bodies.notify_mode",
        "users.surname",
        "users.given_name",
        "users.patronymic",
        "users.email",
      ])
      .where("proxies.id", "=", proxyId)
      .executeTakeFirstOrThrow();
    if (!p.valid_from || !p.valid_to || !p.poa_file_id) return { status: p.status };
    const now = this.ctx.clock.now();
    const deadline = reviewDeadline(now, p.time_zone, undefined, p.office_code);
    await trx
      .updateTable("proxies")
      .set({
        status: "in_review",
        submitted_at: now.toISOString(),
        sla_due_at: deadline.toISOString(),
        calendar_due_at: null,
        calendar_changed_at: null,
        // An approved proxy changed: its approved term keeps counting until the office decides on the change.
        ...(p.status === "approved" || p.status === "in_review"
          ? {}
          : { approved_valid_from: null, approved_valid_to: null }),
        decided_at: null,
        decided_by: null,
        rejection_reason: null,
        paper_copy_received_at: null,
      })
      .where("id", "=", p.id)
      .execute();
    const resubmitted = p.submitted_at !== null;
    await this.audit(trx, "proxy.submitted", p.id, {
      slaDueAt: deadline.toISOString(),
      previousStatus: p.status,
      resubmitted,
    });
    // A branch that chose the morning digest hears of the new proxy there, not in a letter of its own.
    if (p.notify_mode === "digest") return { status: "in_review" };
    await enqueueMail(trx, this.ctx.clock, {
      recipient: p.office_email,
      purpose: "proxy-submitted",
      userId: null,
      ...proxySubmittedLetter({
        officeName: p.office_name,
        representative: [p.surname, p.given_name, p.patronymic].filter(Boolean).join(" "),
        representativeEmail: p.email,
        organization: p.short_name,
        regnum: p.regnum,
        inn: p.inn,
        term: `с ${formatDate(p.valid_from + "T12:00:00Z")} по ${formatDate(p.valid_to + "T12:00:00Z")}`,
        deadline: `${formatDateTime(deadline, p.time_zone)}${calendarIsDraft(Number(localDate(deadline, p.time_zone).slice(0, 4)), p.office_code) ? " (по проекту календаря)" : ""}`,
        resubmitted,
        link: `${this.ctx.appUrl}/operator/proxies/${p.id}`,
      }),
    });
    return { status: "in_review" };
  }
}

export const BULK_SELECTION_MAX = 1000;

export interface BulkAddRow {
  token: string;
  outcome: "added" | "already" | "not-found" | "invalid";
  message: string;
}

export interface BulkAddReport {
  rows: BulkAddRow[];
  added: number;
  already: number;
  notFound: number;
  invalid: number;
}

export interface PoaBatchRow {
  file: string;
  organization: { regnum: string; name: string } | null;
  outcome: "submitted" | "attached" | "refused" | "unmatched";
  message: string;
}

export class TermInvalid extends ProxyError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super(Object.values(fieldErrors)[0], 422);
    this.name = "TermInvalid";
  }
}

export { PoaRefused };
