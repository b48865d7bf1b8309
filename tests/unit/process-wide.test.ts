// server.ts loads the app's modules through tsx and the Remix build bundles copies of its own: state that must be
// one per process is shared by every copy. A second copy of a module is made here with vi.resetModules().
import { afterEach, describe, expect, it, vi } from "vitest";
import { processWide } from "../../app/process-wide";
import * as calendar from "../../app/calendar/production-calendar";

type Calendar = typeof import("../../app/calendar/production-calendar");

describe("processWide", () => {
  it("gives every copy of a module the value the first copy made, and makes it once", async () => {
    const make = vi.fn(() => ({ items: new Map<string, number>() }));
    const first = processWide("test.process-wide", make);
    first.items.set("a", 1);
    vi.resetModules();
    const copy = (await import("../../app/process-wide")) as typeof import("../../app/process-wide");
    expect(copy.processWide).not.toBe(processWide);
    expect(copy.processWide("test.process-wide", make).items.get("a")).toBe(1);
    expect(make).toHaveBeenCalledTimes(1);
    expect(processWide("test.process-wide.other", () => "other")).toBe("other");
  });
});

describe("loaded calendar years in two copies of the module (server.ts's and the Remix build's)", () => {
  afterEach(() => calendar.useLoadedYears([]));

  it("a year loaded through one copy counts in the other's working days, and so does taking it back", async () => {
    vi.resetModules();
    const copy = (await import("../../app/calendar/production-calendar")) as Calendar;
    expect(copy.isWorkingDay).not.toBe(calendar.isWorkingDay);
    // Wednesday 2 December 2026 is a working day by the decree; a loaded year makes it a day off.
    expect(copy.isWorkingDay("2026-12-02")).toBe(true);
    calendar.useLoadedYears([
      { year: 2026, region: null, nonWorking: ["2026-12-02"], workingWeekends: [], draft: false, source: "проверка" },
    ]);
    expect(copy.isWorkingDay("2026-12-02")).toBe(false);
    expect(copy.federalYear(2026).source).toBe("проверка");
    copy.useLoadedYears([]);
    expect(calendar.isWorkingDay("2026-12-02")).toBe(true);
  });
});
