import { describe, expect, it } from "vitest";
import {
  checkInn,
  checkKpp,
  checkOgrn,
  checkRegistrationNumber,
  officeCodeOf,
  officeCodeOfSfrNumber,
  subdivisionCodeOf,
  withInnCheckDigit,
  withOgrnCheckDigit,
  withPersonalInnCheckDigits,
} from "../../app/organizations/identifiers";

describe("ИНН", () => {
  it.each(["7707083893", "7736050003", "500100732259", "772969083006", " 7707 083893 "])("accepts %s", (inn) => {
    expect(checkInn(inn).ok).toBe(true);
  });
  it.each([
    ["7707083894", "Контрольные цифры ИНН не сходятся"],
    ["500100732250", "Контрольные цифры ИНН не сходятся"],
    ["77070838", "10 цифр (организация) или 12 цифр (ИП), а указано 8"],
    ["77070838931", "а указано 11"],
    ["77O7083893", "только из цифр"],
  ])("refuses %s: %s", (inn, message) => {
    const r = checkInn(inn);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
  it("makes check digits that pass", () => {
    expect(checkInn(withInnCheckDigit("770708389")).ok).toBe(true);
    expect(withInnCheckDigit("770708389")).toBe("7707083893");
    expect(withPersonalInnCheckDigits("5001007322")).toBe("500100732259");
  });
});

describe("ОГРН / ОГРНИП", () => {
  it.each(["1027700132195", "1207790332804", "304500116000157"])("accepts %s", (ogrn) => {
    expect(checkOgrn(ogrn).ok).toBe(true);
  });
  it.each([
    ["1027700132196", "Контрольная цифра ОГРН не сходится"],
    ["304500116000158", "Контрольная цифра ОГРНИП не сходится"],
    ["10277001321", "13 цифр, ОГРНИП — 15, а указано 11"],
  ])("refuses %s: %s", (ogrn, message) => {
    const r = checkOgrn(ogrn);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
  it("makes check digits that pass", () => {
    expect(withOgrnCheckDigit("102770013219")).toBe("1027700132195");
    expect(checkOgrn(withOgrnCheckDigit("30450011600015")).ok).toBe(true);
  });
});

describe("КПП and registration number", () => {
  it.each(["770701001", "7707AB001", "773643001"])("accepts КПП %s", (kpp) => expect(checkKpp(kpp).ok).toBe(true));
  it.each([
    ["77070100", "9 символов, а указано 8"],
    ["77070100A", "первые 4 и последние 3"],
  ])("refuses КПП %s", (kpp, message) => {
    const r = checkKpp(kpp);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });
  it("checks the 10-digit registration number and takes the office code", () => {
    expect(checkRegistrationNumber("7701012345").ok).toBe(true);
    const r = checkRegistrationNumber("770101234");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain("10 цифр, а указано 9");
    // Branch 01 of Москва is handled by the regional branch 7700; 0274 (a real insurer of Башкортостан) by 0200.
    expect(officeCodeOf("7701012345")).toBe("7700");
    expect(officeCodeOf("0274016164")).toBe("0200");
    expect(officeCodeOf("1601234567")).toBe("1600");
    expect(officeCodeOf("7812345678")).toBe("7800");
    expect(officeCodeOf("0300123456")).toBe("0300");
    expect(subdivisionCodeOf("0274016164")).toBe("0274");
    // Branches serving two subjects: Московская область, Ленинградская область and the Ненецкий АО.
    expect(officeCodeOf("5003123456")).toBe("7700");
    expect(officeCodeOf("4701123456")).toBe("7800");
    expect(officeCodeOf("8301123456")).toBe("2900");
    expect(subdivisionCodeOf("5003123456")).toBe("5003");
    // The new subjects have their branches; a region nobody serves has none.
    expect(officeCodeOf("9301123456")).toBe("9300");
    expect(officeCodeOf("9501123456")).toBe("9500");
    expect(officeCodeOf("9901123456")).toBeNull();
    expect(officeCodeOf("0001123456")).toBeNull();
  });
  it("takes the branch from a 12-digit СФР number only where the ПФР's region code is confirmed", () => {
    expect(officeCodeOfSfrNumber("087001000001")).toBe("7700");
    expect(officeCodeOfSfrNumber("077001000001")).toBeNull();
  });
});

describe("the СФР registration number", () => {
  it("takes 12 digits with or without dashes, names a wrong length, and prints them grouped", async () => {
    const { checkAnyRegistrationNumber, checkSfrRegistrationNumber, formatSfrRegnum } =
      await import("../../app/organizations/identifiers");
    expect(checkSfrRegistrationNumber("087-001-000001")).toEqual({ ok: true, value: "087001000001" });
    expect(checkSfrRegistrationNumber("087001000001")).toEqual({ ok: true, value: "087001000001" });
    const short = checkSfrRegistrationNumber("087-001-00001");
    expect(short.ok ? "" : short.message).toBe(
      "Регистрационный номер СФР содержит 12 цифр (XXX-XXX-XXXXXX), а указано 11.",
    );
    expect(checkAnyRegistrationNumber("7700000001")).toEqual({ ok: true, kind: "fss", value: "7700000001" });
    expect(checkAnyRegistrationNumber("087-001-000001")).toEqual({ ok: true, kind: "sfr", value: "087001000001" });
    expect(checkAnyRegistrationNumber("12ab").ok).toBe(false);
    expect(formatSfrRegnum("087001000001")).toBe("087-001-000001");
    expect(formatSfrRegnum(null)).toBe("");
  });
});
