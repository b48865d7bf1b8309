// The Russian production calendar: official non-working days for 2025–2027 as data; for other
// years, weekends and the fixed holidays of Labour Code art. 112 (with its automatic transfer of a
// holiday that falls on a weekend, January excepted).

import regionalData from "./data/regional-holidays.json";
import { processWide } from "../process-wide";

export interface RegionalYear {
  days: string[];
  source: string;
  /** The dates are not all decreed yet (a religious holiday's date is set each year). */
  draft?: boolean;
}

export interface RegionalCalendar {
  region: string;
  law: string;
  years: Record<string, RegionalYear>;
}

/** The subjects' own non-working days, by regional branch code: data, not code. */
export const REGIONAL_CALENDARS = (regionalData as { regions: Record<string, RegionalCalendar> }).regions;

/** Years loaded with `npm run calendar:import` (the newest per year and region), over the shipped data. */
export interface LoadedYear {
  year: number;
  region: string | null;
  nonWorking: string[];
  workingWeekends: string[];
  draft: boolean;
  source: string;
}
/**
 * The loaded years and the day sets made of them, once for the process (processWide): server.ts loads them at
 * start and the jobs refresh them through server.ts's copy of this module, while the pages compute deadlines with
 * the Remix build's copy; with maps of each copy's own, the pages never saw a loaded year.
 */
const calendars = processWide("production-calendar", () => ({
  loadedFederal: new Map<number, LoadedYear>(),
  loadedRegional: new Map<string, LoadedYear>(), // `${region}:${year}`
  officialSets: new Map<number, { off: Set<string>; on: Set<string> }>(),
  regionalSets: new Map<string, Set<string>>(),
}));
const { loadedFederal, loadedRegional, officialSets, regionalSets } = calendars;

/** Replaces the loaded years (the server calls it at start and after an import). */
export function useLoadedYears(years: LoadedYear[]): void {
  loadedFederal.clear();
  loadedRegional.clear();
  for (const y of years) {
    if (y.region) loadedRegional.set(`${y.region}:${y.year}`, y);
    else loadedFederal.set(y.year, y);
  }
  officialSets.clear();
  regionalSets.clear();
}

/** The federal year in effect: a loaded one, else the shipped decree, else art. 112. */
export function federalYear(year: number): YearCalendar & { draft: boolean } {
  const loaded = loadedFederal.get(year);
  if (loaded)
    return {
      nonWorkingWeekdays: loaded.nonWorking,
      workingWeekends: loaded.workingWeekends,
      source: loaded.source,
      draft: loaded.draft,
    };
  const shipped = OFFICIAL_CALENDARS[year];
  if (shipped) return { ...shipped, draft: /проект/i.test(shipped.source) };
  return { ...art112Calendar(year), draft: true };
}

/** A subject's own days off for the year in effect: loaded, else the shipped data. */
export function regionalYear(office: string, year: number): RegionalYear | null {
  const region = `${office.slice(0, 2)}00`;
  const loaded = loadedRegional.get(`${region}:${year}`);
  if (loaded) return { days: loaded.nonWorking, source: loaded.source, draft: loaded.draft };
  return REGIONAL_CALENDARS[region]?.years[String(year)] ?? null;
}

function regionalDaysOff(office: string, year: number): Set<string> {
  const key = `${office.slice(0, 2)}00:${year}`;
  let set = regionalSets.get(key);
  if (!set) {
    set = new Set(regionalYear(office, year)?.days ?? []);
    regionalSets.set(key, set);
  }
  return set;
}

/** Whether the office's calendar for that year is still a draft (federal or regional). */
export function calendarIsDraft(year: number, office?: string | null): boolean {
  if (federalYear(year).draft) return true;
  return Boolean(office && regionalYear(office, year)?.draft);
}

export interface YearCalendar {
  /** Weekdays that are non-working (holidays and days off moved onto weekdays). */
  nonWorkingWeekdays: string[];
  /** Saturdays or Sundays that are working days by transfer. */
  workingWeekends: string[];
  source: string;
}

export const OFFICIAL_CALENDARS: Record<number, YearCalendar> = {
  2025: {
    source: "Постановление Правительства РФ от 04.10.2024 № 1335",
    nonWorkingWeekdays: [
      "2025-01-01",
      "2025-01-02",
      "2025-01-03",
      "2025-01-06",
      "2025-01-07",
      "2025-01-08",
      "2025-05-01",
      "2025-05-02",
      "2025-05-08",
      "2025-05-09",
      "2025-06-12",
      "2025-06-13",
      "2025-11-03",
      "2025-11-04",
      "2025-12-31",
    ],
    workingWeekends: ["2025-11-01"],
  },
  2026: {
    source: "Постановление Правительства РФ от 24.09.2025 № 1466",
    nonWorkingWeekdays: [
      "2026-01-01",
      "2026-01-02",
      "2026-01-05",
      "2026-01-06",
      "2026-01-07",
      "2026-01-08",
      "2026-01-09",
      "2026-02-23",
      "2026-03-09",
      "2026-05-01",
      "2026-05-11",
      "2026-06-12",
      "2026-11-04",
      "2026-12-31",
    ],
    workingWeekends: [],
  },
  2027: {
    // Art. 112 gives January 1–8 and the automatic transfers; 5 November off with Saturday 13 November
    // working is the Ministry of Labour's draft. The decree moving 2 and 3 January had not been
    // published when this was written: check it and add those two days when it is.
    source: "ТК РФ ст. 112 и проект постановления Минтруда о переносе выходных дней в 2027 году",
    nonWorkingWeekdays: [
      "2027-01-01",
      "2027-01-04",
      "2027-01-05",
      "2027-01-06",
      "2027-01-07",
      "2027-01-08",
      "2027-02-23",
      "2027-03-08",
      "2027-05-03",
      "2027-05-10",
      "2027-06-14",
      "2027-11-04",
      "2027-11-05",
    ],
    workingWeekends: ["2027-11-13"],
  },
};

/** Fixed non-working holidays of Labour Code art. 112 (month-day). */
const ART_112_HOLIDAYS = [
  "01-01",
  "01-02",
  "01-03",
  "01-04",
  "01-05",
  "01-06",
  "01-07",
  "01-08",
  "02-23",
  "03-08",
  "05-01",
  "05-09",
  "06-12",
  "11-04",
];

function weekdayOf(ymd: string): number {
  return new Date(`${ymd}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
}

export function addDays(ymd: string, days: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const fallbackCache = new Map<number, YearCalendar>();

/** A year outside the data: weekends, art. 112 holidays, and a weekend holiday's next working day off. */
function art112Calendar(year: number): YearCalendar {
  const cached = fallbackCache.get(year);
  if (cached) return cached;
  const off = new Set<string>();
  for (const md of ART_112_HOLIDAYS) {
    const day = `${year}-${md}`;
    const wd = weekdayOf(day);
    if (wd !== 0 && wd !== 6) off.add(day);
    else if (!md.startsWith("01-")) {
      let next = addDays(day, 1);
      while ([0, 6].includes(weekdayOf(next)) || off.has(next) || ART_112_HOLIDAYS.includes(next.slice(5)))
        next = addDays(next, 1);
      off.add(next);
    }
  }
  const calendar = { nonWorkingWeekdays: [...off].sort(), workingWeekends: [], source: "ТК РФ ст. 112" };
  fallbackCache.set(year, calendar);
  return calendar;
}

function setsFor(year: number) {
  let sets = officialSets.get(year);
  if (!sets) {
    const c = federalYear(year);
    sets = { off: new Set(c.nonWorkingWeekdays), on: new Set(c.workingWeekends) };
    officialSets.set(year, sets);
  }
  return sets;
}

/**
 * Whether the day is a working day in the federal calendar and, given the regional branch's code (RR00), in its
 * subject too (the non-working days of app/calendar/data/regional-holidays.json).
 */
export function isWorkingDay(ymd: string, office?: string | null): boolean {
  const { off, on } = setsFor(Number(ymd.slice(0, 4)));
  if (office && regionalDaysOff(office, Number(ymd.slice(0, 4))).has(ymd)) return false;
  if (on.has(ymd)) return true;
  const wd = weekdayOf(ymd);
  return wd !== 0 && wd !== 6 && !off.has(ymd);
}

/** The n-th working day after a date (the date itself not counted), in the office's calendar. */
export function workingDaysAfter(ymd: string, n: number, office?: string | null): string {
  let day = ymd;
  let counted = 0;
  while (counted < n) {
    day = addDays(day, 1);
    if (isWorkingDay(day, office)) counted++;
  }
  return day;
}

/** Working days from one date (exclusive) to another (inclusive); negative when `to` is earlier. */
export function workingDaysBetween(from: string, to: string, office?: string | null): number {
  if (to === from) return 0;
  const sign = to > from ? 1 : -1;
  let count = 0;
  let day = from;
  while (day !== to) {
    day = addDays(day, sign);
    if (isWorkingDay(day, office)) count += sign;
  }
  return count;
}
