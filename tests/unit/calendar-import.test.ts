// Reading a production-calendar year: the common XML format and CSV; every bad input refused with its message.
import { describe, expect, it } from "vitest";
import { CalendarFileRefused, parseCalendarFile } from "../../app/calendar/import.server";

const XML_2027 = `<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2027" lang="ru" date="2026.11.30" country="ru">
  <holidays><holiday id="1" title="Новогодние каникулы"/><holiday id="8" title="День народного единства"/></holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.02" t="1" h="1"/><day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/>
    <day d="01.06" t="1" h="1"/><day d="01.07" t="1" h="1"/><day d="01.08" t="1" h="1"/>
    <day d="02.22" t="2"/><day d="11.04" t="1" h="8"/><day d="11.05" t="1"/><day d="11.13" t="3"/>
  </days>
</calendar>`;

describe("parseCalendarFile", () => {
  it("reads the XML format: days off on weekdays only, shortened days ignored, working weekends kept", () => {
    expect(parseCalendarFile(Buffer.from(XML_2027))).toEqual({
      year: 2027,
      // 2 January 2027 is a Saturday: a weekend needs no listing.
      nonWorking: [
        "2027-01-01",
        "2027-01-04",
        "2027-01-05",
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
        "2027-11-04",
        "2027-11-05",
      ],
      workingWeekends: ["2027-11-13"],
    });
  });
  it("reads a CSV with either date form and Russian or numeric types", () => {
    const csv = "date;type\n20.03.2026;нерабочий\n2026-05-27;1\n2026-03-21;нерабочий\n";
    expect(parseCalendarFile(Buffer.from(csv))).toEqual({
      year: 2026,
      nonWorking: ["2026-03-20", "2026-05-27"],
      workingWeekends: [],
    });
  });
  it.each([
    ["no year", "<calendar><days/></calendar>", "нет элемента <calendar year"],
    ["a bad day", '<calendar year="2027"><days><day d="02.31" t="1"/></days></calendar>', "«02.31» — не дата"],
    ["a bad type", '<calendar year="2027"><days><day d="01.03" t="7"/></days></calendar>', 't="7"'],
    ["a DOCTYPE", '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY a "b">]><calendar year="2027"/>', "DOCTYPE"],
    ["two years in a CSV", "2026-03-20;1\n2027-03-10;1", "один год"],
    ["an unknown CSV type", "2026-03-20;праздник", "тип «праздник»"],
    ["an empty file", "", "пуст"],
  ])("refuses %s", (_what, text, message) => {
    expect(() => parseCalendarFile(Buffer.from(text))).toThrow(CalendarFileRefused);
    expect(() => parseCalendarFile(Buffer.from(text))).toThrow(message);
  });
});
