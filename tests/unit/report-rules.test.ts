// Each acceptance rule alone: it passes a good subject and refuses the one fact it is about, naming both values.
import { describe, expect, it } from "vitest";
import type { ReportFile } from "../../app/reports/forms/report-file";
import {
  ACCEPTANCE_RULES,
  certificateQualified,
  certificateValidToday,
  correctionIsNew,
  firstRefusal,
  formFitsPeriod,
  innMatches,
  kppMatches,
  periodEnded,
  proxyApproved,
  termCoversToday,
  type Subject,
} from "../../app/reports/rules.server";

const FILE: ReportFile = {
  form: "EFS-1",
  formVersion: "2026-01-01",
  regnum: null,
  sfrRegnum: "087001000001",
  inn: "7707083893",
  kpp: "770701001",
  name: "ООО «Ромашка»",
  period: "09",
  year: 2026,
  correction: 0,
  filledOn: "2026-10-10",
  parts: ["раздел 2 (ОСС)"],
};

const subject = (over: { file?: Partial<ReportFile> } & Partial<Omit<Subject, "file">> = {}): Subject => ({
  organization: {
    id: 1,
    regnum: "7700500001",
    sfrRegnum: "087001000001",
    inn: "7707083893",
    kpp: "770701001",
    shortName: "ООО «Ромашка»",
  },
  proxy: { id: 5, status: "approved", validFrom: "2026-01-01", validTo: "2027-06-30" },
  certificate: {
    notBefore: "2026-10-23T15:00:41.000Z",
    notAfter: "2027-10-23T15:00:41.000Z",
    verified: true,
    trustLost: null,
  },
  now: "2026-11-23T09:00:00.000Z",
  today: "2026-11-23",
  accepted: [],
  ...over,
  file: { ...FILE, ...over.file },
});

describe("acceptance rules", () => {
  it("a good subject passes every rule", () => {
    expect(firstRefusal(subject())).toBeNull();
    for (const rule of ACCEPTANCE_RULES) expect(rule.check(subject()), rule.name).toBeNull();
  });
  it("innMatches names both ИНН", () => {
    expect(innMatches.check(subject({ file: { inn: "7707083894" } }))).toBe(
      "ИНН в отчёте (7707083894) не совпадает с ИНН организации ООО «Ромашка» (7707083893) по реестру. Проверьте реквизиты страхователя в программе.",
    );
  });
  it("kppMatches names both КПП, and is silent when either has none", () => {
    expect(kppMatches.check(subject({ file: { kpp: "770101001" } }))).toContain(
      "КПП в отчёте (770101001) не совпадает с КПП организации ООО «Ромашка» (770701001)",
    );
    expect(kppMatches.check(subject({ file: { kpp: null } }))).toBeNull();
  });
  it("formFitsPeriod: 4-ФСС up to 2022, ЕФС-1 from 2023", () => {
    expect(formFitsPeriod.check(subject({ file: { form: "4-FSS", year: 2023, period: "03" } }))).toContain(
      "расчёт 4-ФСС принимается только за периоды по 2022 год",
    );
    expect(formFitsPeriod.check(subject({ file: { form: "4-FSS", year: 2022 } }))).toBeNull();
    expect(formFitsPeriod.check(subject({ file: { form: "EFS-1", year: 2022 } }))).toContain(
      "за «9 месяцев 2022 г.» отправьте расчёт 4-ФСС",
    );
  });
  it("proxyApproved names the status", () => {
    expect(
      proxyApproved.check(subject({ proxy: { id: 5, status: "in_review", validFrom: null, validTo: null } })),
    ).toContain("статус «На проверке»");
  });
  it("proxyApproved: a changed approved proxy in review still counts within its approved term, and only then", () => {
    const changed = {
      id: 5,
      status: "in_review" as const,
      validFrom: "2026-01-01",
      validTo: "2027-12-31",
      approvedValidFrom: "2026-01-01",
      approvedValidTo: "2026-12-31",
    };
    expect(proxyApproved.check(subject({ proxy: changed, today: "2026-11-23" }))).toBeNull();
    expect(proxyApproved.check(subject({ proxy: changed, today: "2027-01-10" }))).toContain(
      "на проверке, а утверждённый ранее срок (с 01.01.2026 по 31.12.2026) сегодня не действует",
    );
    // Refused or never approved: nothing to fall back on.
    expect(
      proxyApproved.check(subject({ proxy: { ...changed, status: "rejected" as const }, today: "2026-11-23" })),
    ).toContain("статус «Отклонено»");
  });
  it("termCoversToday: the last day counts, the day after does not", () => {
    const proxy = { id: 5, status: "approved" as const, validFrom: "2026-01-01", validTo: "2026-11-23" };
    expect(termCoversToday.check(subject({ proxy }))).toBeNull();
    expect(termCoversToday.check(subject({ proxy, today: "2026-11-24" }))).toBe(
      "Сегодня доверенность не действует: её срок с 01.01.2026 по 23.11.2026.",
    );
  });
  it("certificateValidToday: missing or out of its dates", () => {
    expect(certificateValidToday.check(subject({ certificate: null }))).toContain("не загружен");
    expect(
      certificateValidToday.check(
        subject({
          certificate: {
            notBefore: "2025-01-01T00:00:00.000Z",
            notAfter: "2026-11-01T00:00:00.000Z",
            verified: true,
            trustLost: null,
          },
        }),
      ),
    ).toContain("сегодня не действует (срок с 01.01.2025 по 01.11.2026)");
  });
  it("certificateQualified: verified against the trust list, not revoked, its CA still on the list", () => {
    const base = subject().certificate!;
    expect(certificateQualified.check(subject())).toBeNull();
    expect(certificateQualified.check(subject({ certificate: { ...base, verified: false } }))).toContain(
      "загружен до проверки цепочки",
    );
    expect(
      certificateQualified.check(
        subject({ certificate: { ...base, trustLost: "Сертификат отозван удостоверяющим центром 25.11.2026." } }),
      ),
    ).toBe(
      "Сертификат подписи больше не является квалифицированным: сертификат отозван удостоверяющим центром 25.11.2026. Загрузите действующий сертификат.",
    );
  });
  it("periodEnded: accepted from the day after the period's last day", () => {
    expect(periodEnded.check(subject({ file: { period: "12" } }))).toBe(
      "Отчётный период «год 2026 г.» ещё не закончился: отчёт за него принимается после 31.12.2026.",
    );
    expect(periodEnded.check(subject({ file: { period: "09" }, today: "2026-09-30" }))).toContain("ещё не закончился");
    expect(periodEnded.check(subject({ file: { period: "09" }, today: "2026-10-01" }))).toBeNull();
  });
  it("correctionIsNew: one initial report a period, corrections numbered upwards", () => {
    const initial = [{ correction: 0, receiptNumber: "2026-7700500001-0000001" }];
    expect(correctionIsNew.check(subject({ accepted: initial }))).toContain(
      "уже принят расчёт (первичный, квитанция № 2026-7700500001-0000001). Исправления отправляются уточнённым расчётом: номер корректировки 001.",
    );
    expect(correctionIsNew.check(subject({ accepted: initial, file: { correction: 1 } }))).toBeNull();
    const corrected = [...initial, { correction: 2, receiptNumber: "2026-7700500001-0000009" }];
    expect(correctionIsNew.check(subject({ accepted: corrected, file: { correction: 1 } }))).toContain(
      "уже принят уточнённый (2) расчёт (квитанция № 2026-7700500001-0000009); номер корректировки 001 уже использован. Следующий уточнённый расчёт — с номером 003.",
    );
    // A correction whose initial report went to the fund another way.
    expect(correctionIsNew.check(subject({ file: { correction: 3 } }))).toBeNull();
  });
  it("the first refusal decides, in the order a person fixes things", () => {
    const refusal = firstRefusal(subject({ file: { inn: "7707083894", period: "12" }, certificate: null }));
    expect(refusal?.rule).toBe("inn-matches");
  });
});
