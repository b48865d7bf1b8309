// `npm run calendar:import`: a production-calendar year from the common XML format (xmlcalendar.ru:
// <calendar year="2027"><holidays/><days><day d="01.01" t="1" h="1"/>…, d is month.day, t=1 a day off, t=2 a shortened working day,
// t=3 a working weekend) or a CSV (date;type, type «нерабочий»/«рабочий» or 1/3), federal or a subject's own. It
// shows the difference from the year in effect, records who loaded it, and lists the deadlines in review that the
// new year would move — they are not moved.
import { XMLParser } from "fast-xml-parser";
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import { recordAuditEvent } from "../audit/journal.server";
import { reviewDeadline } from "./index";
import { branchOfRegion } from "../organizations/branches";
import { federalYear, regionalYear, useLoadedYears, type LoadedYear } from "./production-calendar";

export class CalendarFileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CalendarFileRefused";
  }
}

const weekday = (ymd: string) => new Date(`${ymd}T00:00:00Z`).getUTCDay();
const isWeekend = (ymd: string) => [0, 6].includes(weekday(ymd));
const validDay = (ymd: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return false;
  const d = new Date(`${ymd}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === ymd;
};

export interface ParsedYear {
  year: number;
  /** Days off other than Saturdays and Sundays (and, for a subject, its own days off). */
  nonWorking: string[];
  workingWeekends: string[];
}

export function parseCalendarFile(bytes: Buffer, expectYear?: number): ParsedYear {
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new CalendarFileRefused("Файл календаря с DOCTYPE/ENTITY не принимается.");
  const off: string[] = [];
  const on: string[] = [];
  let year: number;
  if (text.trimStart().startsWith("<")) {
    let doc: { calendar?: { year?: string; days?: { day?: unknown } } };
    try {
      doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false }).parse(text);
    } catch {
      throw new CalendarFileRefused("Файл календаря — не корректный XML.");
    }
    year = Number(doc.calendar?.year);
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw new CalendarFileRefused("В XML нет элемента <calendar year=…> с годом.");
    const raw = doc.calendar?.days?.day;
    const days = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ d?: string; t?: string }>;
    for (const d of days) {
      const m = String(d.d ?? "").match(/^(\d{2})\.(\d{2})$/);
      // The format gives month.day: d="11.04" is 4 November.
      const ymd = m ? `${year}-${m[1]}-${m[2]}` : "";
      if (!validDay(ymd)) throw new CalendarFileRefused(`День «${d.d}» — не дата ММ.ДД ${year} года.`);
      if (d.t === "1") off.push(ymd);
      else if (d.t === "3") on.push(ymd);
      else if (d.t !== "2") throw new CalendarFileRefused(`У дня ${d.d} тип t="${d.t}": ожидается 1, 2 или 3.`);
    }
  } else {
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !/^(date|дата)\b/i.test(l));
    if (lines.length === 0) throw new CalendarFileRefused("Файл календаря пуст.");
    const years = new Set<number>();
    for (const [i, line] of lines.entries()) {
      const [rawDate, rawType] = line.split(/[;,\t]/).map((c) => c.trim());
      const dmy = rawDate.match(/^(\d{2})\.(\d{2})\.(\d{4})$/);
      const ymd = dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}` : rawDate;
      if (!validDay(ymd)) throw new CalendarFileRefused(`Строка ${i + 1}: «${rawDate}» — не дата.`);
      const type = (rawType ?? "").toLowerCase();
      if (["1", "нерабочий", "выходной", "off"].includes(type)) off.push(ymd);
      else if (["3", "рабочий", "working"].includes(type)) on.push(ymd);
      else
        throw new CalendarFileRefused(`Строка ${i + 1}: тип «${rawType ?? ""}» — ожидается «нерабочий» или «рабочий».`);
      years.add(Number(ymd.slice(0, 4)));
    }
    if (years.size !== 1) throw new CalendarFileRefused("В одном файле — один год.");
    year = [...years][0];
  }
  if (expectYear !== undefined && year !== expectYear)
    throw new CalendarFileRefused(`Файл за ${year} год, а не ${expectYear}.`);
  return {
    year,
    nonWorking: [...new Set(off.filter((d) => !isWeekend(d)))].sort(),
    workingWeekends: [...new Set(on.filter(isWeekend))].sort(),
  };
}

export interface CalendarDiff {
  added: string[];
  removed: string[];
  workingWeekendsAdded: string[];
  workingWeekendsRemoved: string[];
}

function diff(before: { off: string[]; on: string[] }, after: { off: string[]; on: string[] }): CalendarDiff {
  const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));
  return {
    added: minus(after.off, before.off),
    removed: minus(before.off, after.off),
    workingWeekendsAdded: minus(after.on, before.on),
    workingWeekendsRemoved: minus(before.on, after.on),
  };
}

async function loadedYears(db: Db): Promise<LoadedYear[]> {
  const rows = await db.selectFrom("calendar_years").selectAll().orderBy("id").execute();
  const newest = new Map<string, LoadedYear>();
  for (const r of rows) {
    newest.set(`${r.region ?? ""}:${r.year}`, {
      year: r.year,
      region: r.region,
      nonWorking: JSON.parse(r.non_working),
      workingWeekends: JSON.parse(r.working_weekends),
      draft: Boolean(r.draft),
      source: r.source,
    });
  }
  return [...newest.values()];
}

/** Puts the loaded years in effect (the server at start; the import after it writes). */
export async function applyLoadedCalendars(db: Db): Promise<void> {
  useLoadedYears(await loadedYears(db));
}

export interface CalendarImport {
  year: number;
  region: string | null;
  diff: CalendarDiff;
  /** Proxies in review whose deadline the new year would move (left as they are). */
  movedDeadlines: Array<{ proxyId: number; regnum: string; officeCode: string; before: string; after: string }>;
}

export async function importCalendarYear(
  db: Db,
  clock: Clock,
  bytes: Buffer,
  options: { region?: string | null; draft?: boolean; source: string; loadedBy: string },
): Promise<CalendarImport> {
  const region = options.region ? branchOfRegion(options.region.slice(0, 2)) : null;
  if (options.region && !region)
    throw new CalendarFileRefused(`Регион ${options.region.slice(0, 2)} не обслуживает ни одно отделение СФР.`);
  if (region) {
    const known = await db
      .selectFrom("territorial_bodies")
      .select("code")
      .where("code", "=", region)
      .executeTakeFirst();
    if (!known) throw new CalendarFileRefused(`Отделения с кодом ${region} нет.`);
  }
  await applyLoadedCalendars(db);
  const parsed = parseCalendarFile(bytes);
  const before = region
    ? { off: regionalYear(region, parsed.year)?.days ?? [], on: [] as string[] }
    : { off: federalYear(parsed.year).nonWorkingWeekdays, on: federalYear(parsed.year).workingWeekends };
  const after = { off: parsed.nonWorking, on: region ? [] : parsed.workingWeekends };
  const open = await db
    .selectFrom("proxies")
    .innerJoin("organizations", "organizations.id", "proxies.organization_id")
    .innerJoin("territorial_bodies", "territorial_bodies.code", "proxies.office_code")
    .select([
      "proxies.id",
      "proxies.submitted_at",
      "proxies.sla_due_at",
      "proxies.office_code",
      "organizations.regnum",
      "territorial_bodies.time_zone",
    ])
    .where("proxies.status", "=", "in_review")
    .where("proxies.submitted_at", "is not", null)
    .execute();
  const deadlines = () =>
    new Map(
      open.map((p) => [
        p.id,
        reviewDeadline(new Date(p.submitted_at!), p.time_zone, undefined, p.office_code).toISOString(),
      ]),
    );
  const old = deadlines();
  const now = clock.now().toISOString();
  await db
    .insertInto("calendar_years")
    .values({
      year: parsed.year,
      region,
      non_working: JSON.stringify(after.off),
      working_weekends: JSON.stringify(after.on),
      draft: options.draft ? 1 : 0,
      source: options.source.slice(0, 1000),
      loaded_by: options.loadedBy.slice(0, 200),
      loaded_at: now,
    })
    .execute();
  await applyLoadedCalendars(db);
  const fresh = deadlines();
  const movedDeadlines = open
    .filter((p) => old.get(p.id) !== fresh.get(p.id))
    .map((p) => ({
      proxyId: p.id,
      regnum: p.regnum,
      officeCode: p.office_code ?? "",
      before: p.sla_due_at ?? old.get(p.id)!,
      after: fresh.get(p.id)!,
    }));
  // The deadline set stays (the representative was told it); the operators see the one the new calendar gives.
  await db.transaction().execute(async (trx) => {
    for (const p of open) {
      const byCalendar = fresh.get(p.id)!;
      const differs = p.sla_due_at !== null && byCalendar !== p.sla_due_at;
      await trx
        .updateTable("proxies")
        .set({ calendar_due_at: differs ? byCalendar : null, calendar_changed_at: differs ? now : null })
        .where("id", "=", p.id)
        .execute();
    }
  });
  const d = diff(before, after);
  await recordAuditEvent(db, clock, {
    action: "calendar.imported",
    subjectType: "calendar",
    subjectId: `${region ?? "RU"}-${parsed.year}`,
    details: {
      loadedBy: options.loadedBy,
      source: options.source,
      draft: Boolean(options.draft),
      diff: d,
      moved: movedDeadlines.map((m) => m.proxyId),
    },
  });
  return { year: parsed.year, region, diff: d, movedDeadlines };
}
