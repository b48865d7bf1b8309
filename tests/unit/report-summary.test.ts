// The summary's pure parts: which period ended last, the CSV Excel opens; and the generated registry's two numbers.
import { describe, expect, it } from "vitest";
import { lastEndedPeriod, summaryCsv, type SummaryRow } from "../../app/reports/summary.server";
import { generateRegistry } from "../../app/organizations/generator";
import { checkSfrRegistrationNumber } from "../../app/organizations/identifiers";

describe("summary", () => {
  it("knows the last ended period: the day after a quarter's last day, and the year before in the first quarter", () => {
    expect(lastEndedPeriod("2026-11-23")).toEqual({ period: "09", year: 2026 });
    expect(lastEndedPeriod("2026-09-30")).toEqual({ period: "06", year: 2026 });
    expect(lastEndedPeriod("2026-10-01")).toEqual({ period: "09", year: 2026 });
    expect(lastEndedPeriod("2027-01-01")).toEqual({ period: "12", year: 2026 });
    expect(lastEndedPeriod("2027-03-31")).toEqual({ period: "12", year: 2026 });
    expect(lastEndedPeriod("2027-04-01")).toEqual({ period: "03", year: 2027 });
  });
  it("keeps a value that starts like a formula as text", () => {
    const row: SummaryRow = {
      organizationId: 1,
      regnum: "7700000001",
      sfrRegnum: null,
      inn: "7707083893",
      shortName: '=HYPERLINK("http://evil")',
      proxyStatus: "approved",
      cells: Object.fromEntries(
        ["03", "06", "09", "12"].map((p) => [
          p,
          { state: "not-sent" as const, submissionId: null, receiptNumber: null, correction: 0, reason: null },
        ]),
      ),
    };
    expect(summaryCsv(2026, [row]).toString("utf8").split("\r\n")[1]).toContain(`;"'=HYPERLINK(""http://evil"")";`);
  });
  it("writes CSV with a BOM, `;`, CRLF and quotes where a value needs them", () => {
    const row: SummaryRow = {
      organizationId: 1,
      regnum: "0274016164",
      sfrRegnum: "002001000001",
      inn: "0274176895",
      shortName: 'ООО "Кавычки; и точка с запятой"',
      proxyStatus: "approved",
      cells: {
        "03": {
          state: "accepted",
          submissionId: 1,
          receiptNumber: "2026-0274016164-0000001",
          correction: 0,
          reason: null,
        },
        "06": {
          state: "corrected",
          submissionId: 2,
          receiptNumber: "2026-0274016164-0000002",
          correction: 1,
          reason: null,
        },
        "09": { state: "rejected", submissionId: 3, receiptNumber: null, correction: 0, reason: "ИНН не совпадает" },
        "12": { state: "not-sent", submissionId: null, receiptNumber: null, correction: 0, reason: null },
      },
    };
    const text = summaryCsv(2026, [row]).toString("utf8");
    expect(text.startsWith("\uFEFFРегистрационный номер;Рег. номер СФР;ИНН;")).toBe(true);
    expect(text.split("\r\n")[1]).toBe(
      '0274016164;002-001-000001;0274176895;"ООО ""Кавычки; и точка с запятой""";Утверждено;Принят, квитанция № 2026-0274016164-0000001;Уточнён (1), квитанция № 2026-0274016164-0000002;Не принят: ИНН не совпадает;Не отправлен',
    );
  });
});

describe("generated registry", () => {
  it("gives every organisation both numbers, each unique and well-formed", () => {
    const offices = [
      { code: "7700", region: "г. Москва" },
      { code: "0274", region: "Республика Башкортостан" },
    ];
    const entries = [...generateRegistry(2000, offices, 3)];
    expect(new Set(entries.map((e) => e.sfrRegnum)).size).toBe(2000);
    for (const e of entries.slice(0, 50)) expect(checkSfrRegistrationNumber(e.sfrRegnum ?? "").ok).toBe(true);
    // Москва's numbers begin with its ПФР code 087; Чукотка (region 87) must not take it.
    expect(entries[0]).toMatchObject({ regnum: "7700000001", sfrRegnum: "087000000001" });
    const chukotka = [...generateRegistry(1, [{ code: "8700", region: "Чукотский автономный округ" }], 3)];
    expect(chukotka[0].sfrRegnum).toBe("287000000001");
  });
});
