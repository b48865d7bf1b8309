import { describe, expect, it } from "vitest";
import {
  OFFICIAL_CALENDARS,
  isWorkingDay,
  workingDaysAfter,
  workingDaysBetween,
} from "../../app/calendar/production-calendar";
import { localDate, reviewDeadline, startOfLocalDay } from "../../app/calendar";

function workingDaysIn(year: number): number {
  let n = 0;
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    if (isWorkingDay(d.toISOString().slice(0, 10))) n++;
  }
  return n;
}

describe("production calendar", () => {
  it("has 247 working days in 2025 and 2026, as the decrees give", () => {
    expect(workingDaysIn(2025)).toBe(247);
    expect(workingDaysIn(2026)).toBe(247);
  });

  it("pins the non-working days of 2026 (decree № 1466): 1–11 January, 23 February, 9 March, 1 and 11 May, 12 June, 4 November, 31 December", () => {
    for (const day of [
      "2026-01-01",
      "2026-01-02",
      "2026-01-05",
      "2026-01-09",
      "2026-02-23",
      "2026-03-09",
      "2026-05-01",
      "2026-05-11",
      "2026-06-12",
      "2026-11-04",
      "2026-12-31",
    ]) {
      expect(isWorkingDay(day), day).toBe(false);
    }
    for (const day of ["2026-01-12", "2026-02-24", "2026-03-10", "2026-05-12", "2026-11-05", "2026-12-30"]) {
      expect(isWorkingDay(day), day).toBe(true);
    }
  });

  it("pins 2027: 1–8 January, 23 February, 8 March, 3 and 10 May, 14 June, 4–5 November; Saturday 13 November works", () => {
    for (const day of [
      "2027-01-01",
      "2027-01-04",
      "2027-01-08",
      "2027-02-23",
      "2027-03-08",
      "2027-05-03",
      "2027-05-10",
      "2027-06-14",
      "2027-11-04",
      "2027-11-05",
    ]) {
      expect(isWorkingDay(day), day).toBe(false);
    }
    expect(isWorkingDay("2027-11-13")).toBe(true);
    expect(isWorkingDay("2027-11-14")).toBe(false);
    expect(OFFICIAL_CALENDARS[2027].source).toContain("112");
  });

  it("2025 has the working Saturday 1 November and 3 November off", () => {
    expect(isWorkingDay("2025-11-01")).toBe(true);
    expect(isWorkingDay("2025-11-03")).toBe(false);
  });

  it("outside the data uses art. 112 and moves a weekend holiday to the next working day (January excepted)", () => {
    expect(isWorkingDay("2028-01-03")).toBe(false);
    expect(isWorkingDay("2028-01-10")).toBe(true);
    // 2028: 23 February is a Wednesday; 6 May is … 1 May 2028 is a Monday; 9 May a Tuesday.
    expect(isWorkingDay("2028-05-01")).toBe(false);
    // 2029: 12 June is a Tuesday; 2030: 12 June is a Wednesday; 2033: 12 June is a Sunday → 13 June off.
    expect(isWorkingDay("2033-06-13")).toBe(false);
    expect(isWorkingDay("2033-06-14")).toBe(true);
  });

  it("counts working days", () => {
    expect(workingDaysAfter("2026-11-23", 5)).toBe("2026-11-30"); // Mon → next Mon
    expect(workingDaysAfter("2026-11-02", 5)).toBe("2026-11-10"); // 4 November off
    expect(workingDaysBetween("2026-11-23", "2026-11-30")).toBe(5);
    expect(workingDaysBetween("2026-11-30", "2026-11-23")).toBe(-5);
  });
});

describe("review deadline", () => {
  it("is the end of the 5th working day in the office's time zone", () => {
    const d = reviewDeadline(new Date("2026-11-23T09:00:00Z"), "Europe/Moscow");
    expect(d.toISOString()).toBe("2026-11-30T20:59:59.999Z");
  });

  it("crosses the New Year holidays", () => {
    // Friday 26 December 2025: 29, 30 December; 31 December and 1–11 January off; 12, 13, 14 January.
    expect(reviewDeadline(new Date("2025-12-26T10:00:00Z"), "Europe/Moscow").toISOString()).toBe(
      "2026-01-14T20:59:59.999Z",
    );
    // Tuesday 29 December 2026: 30 December; 31 December and 1–10 January off; 11, 12, 13, 14 January 2027.
    expect(reviewDeadline(new Date("2026-12-29T10:00:00Z"), "Europe/Moscow").toISOString()).toBe(
      "2027-01-14T20:59:59.999Z",
    );
  });

  it("takes the local date in the office's zone: late evening in Moscow is already the next day in Vladivostok", () => {
    const at = new Date("2026-11-23T18:30:00Z"); // 21:30 Moscow Monday, 04:30 Tuesday in Vladivostok
    expect(localDate(at, "Asia/Vladivostok")).toBe("2026-11-24");
    expect(reviewDeadline(at, "Asia/Vladivostok").toISOString()).toBe("2026-12-01T13:59:59.999Z");
    expect(startOfLocalDay("2026-11-24", "Asia/Vladivostok").toISOString()).toBe("2026-11-23T14:00:00.000Z");
  });
});

describe("regional calendars", () => {
  it("adds a subject's own days off: Татарстан's Ураза-байрам (20.03.2026) and Курбан-байрам (27.05.2026)", () => {
    expect(isWorkingDay("2026-03-20")).toBe(true);
    expect(isWorkingDay("2026-03-20", "1600")).toBe(false);
    expect(isWorkingDay("2026-05-27", "1600")).toBe(false);
    expect(isWorkingDay("2026-03-20", "7700")).toBe(true);
    // Башкортостан moves a holiday that falls on a weekend: 11.10.2026 is a Sunday, 12.10 is off.
    expect(isWorkingDay("2026-10-12", "0200")).toBe(false);
    expect(isWorkingDay("2026-10-12", "1600")).toBe(true);
    // Бурятия and Тыва: the lunar New Year, 18.02.2026.
    expect(isWorkingDay("2026-02-18", "0300")).toBe(false);
    expect(isWorkingDay("2026-02-18", "1700")).toBe(false);
    expect(isWorkingDay("2026-02-18", "0200")).toBe(true);
  });
  it("knows the other subjects that add days off: the North Caucasus, Якутия, Чувашия; each for 2025–2027", async () => {
    const { REGIONAL_CALENDARS } = await import("../../app/calendar");
    // Курбан-байрам 27.05.2026 is off in Дагестан, Ингушетия, Чечня, КБР, КЧР and Адыгея, not in Ставрополье.
    for (const code of ["0100", "0500", "0600", "0700", "0900", "2000"]) {
      expect(isWorkingDay("2026-05-27", code), code).toBe(false);
      expect(isWorkingDay("2026-03-20", code), code).toBe(false);
    }
    expect(isWorkingDay("2026-05-27", "2600")).toBe(true);
    expect(isWorkingDay("2026-06-04", "0600")).toBe(false); // День образования Республики Ингушетия
    expect(isWorkingDay("2026-06-04", "0500")).toBe(true);
    expect(isWorkingDay("2026-04-16", "2000")).toBe(false); // День мира в Чеченской Республике
    expect(isWorkingDay("2026-04-27", "1400")).toBe(false); // День Республики Саха (Якутия)
    expect(isWorkingDay("2026-06-24", "2100")).toBe(false); // День Чувашской Республики
    expect(isWorkingDay("2026-06-24", "1600")).toBe(true);
    expect(isWorkingDay("2025-02-28", "0300")).toBe(false); // Сагаалган 2025
    expect(isWorkingDay("2025-08-15", "1700")).toBe(false); // День Республики Тыва
    for (const code of ["0100", "0200", "0300", "0500", "0600", "0700", "0900", "1400", "1600", "1700", "2000", "2100"])
      expect(Object.keys(REGIONAL_CALENDARS[code].years), code).toEqual(["2025", "2026", "2027"]);
  });
  it("a deadline across a regional holiday is a day later in that subject only", () => {
    // Submitted Wednesday 18.03.2026 at noon (Moscow): five working days are 19, 20, 23, 24, 25 March — or, in
    // Татарстан where 20 March is Ураза-байрам, 19, 23, 24, 25, 26 March.
    const submitted = new Date("2026-03-18T09:00:00Z");
    expect(localDate(reviewDeadline(submitted, "Europe/Moscow", 5, "7700"), "Europe/Moscow")).toBe("2026-03-25");
    expect(localDate(reviewDeadline(submitted, "Europe/Moscow", 5, "1600"), "Europe/Moscow")).toBe("2026-03-26");
    expect(workingDaysBetween("2026-03-18", "2026-03-25", "1600")).toBe(4);
  });
  it("a deadline across the New Year holidays counts from 12 January 2026", () => {
    const submitted = new Date("2025-12-30T09:00:00Z");
    // 31.12.2025 is off by the 2025 decree, 1–11 January 2026 by the 2026 one: 30.12 → 12, 13, 14, 15, 16 January.
    expect(localDate(reviewDeadline(submitted, "Europe/Moscow", 5, "7700"), "Europe/Moscow")).toBe("2026-01-16");
  });
  it("marks a draft year: 2027 is the Ministry's draft, and Татарстан's religious holidays of 2027 are not decreed", async () => {
    const { calendarIsDraft, REGIONAL_CALENDARS } = await import("../../app/calendar");
    expect(calendarIsDraft(2026, "7700")).toBe(false);
    expect(calendarIsDraft(2026, "1600")).toBe(false);
    expect(calendarIsDraft(2027, "7700")).toBe(true);
    expect(REGIONAL_CALENDARS["1600"].years["2027"].draft).toBe(true);
    // Every year of every subject names its source.
    for (const [code, c] of Object.entries(REGIONAL_CALENDARS)) {
      expect(c.law, code).toMatch(/Закон/);
      for (const [year, y] of Object.entries(c.years)) {
        expect(y.source, `${code} ${year}`).not.toBe("");
        for (const d of y.days) expect(d.startsWith(year), `${code} ${d}`).toBe(true);
      }
    }
  });
});
