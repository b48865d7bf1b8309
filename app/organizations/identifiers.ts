// Checks of the identifiers people type: ИНН (10 or 12 digits, check digits), ОГРН (13) and ОГРНИП (15)
// with their check digit, КПП (9 characters), the fund's registration number (10 digits). Each problem
// has its own Russian message so a typo is easy to find. Shared by the server and the browser.
import { branchOfRegion } from "./branches";

export type Check = { ok: true; value: string } | { ok: false; message: string };

const digitsOnly = (s: string) => s.replace(/[\s-]/g, "");

function weightedSum(digits: string, weights: number[]): number {
  return weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0);
}

export function innCheckDigitsValid(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) {
    return (weightedSum(inn, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10 === Number(inn[9]);
  }
  if (/^\d{12}$/.test(inn)) {
    const n11 = (weightedSum(inn, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
    const n12 = (weightedSum(inn, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
    return n11 === Number(inn[10]) && n12 === Number(inn[11]);
  }
  return false;
}

export function checkInn(raw: string): Check {
  const v = digitsOnly(raw);
  if (!/^\d+$/.test(v)) return { ok: false, message: "ИНН состоит только из цифр." };
  if (v.length !== 10 && v.length !== 12) {
    return {
      ok: false,
      message: `ИНН должен содержать 10 цифр (организация) или 12 цифр (ИП), а указано ${v.length}.`,
    };
  }
  if (!innCheckDigitsValid(v))
    return { ok: false, message: "Контрольные цифры ИНН не сходятся — проверьте, нет ли опечатки." };
  return { ok: true, value: v };
}

export function ogrnCheckDigitValid(ogrn: string): boolean {
  if (/^\d{13}$/.test(ogrn)) return Number((BigInt(ogrn.slice(0, 12)) % 11n) % 10n) === Number(ogrn[12]);
  if (/^\d{15}$/.test(ogrn)) return Number((BigInt(ogrn.slice(0, 14)) % 13n) % 10n) === Number(ogrn[14]);
  return false;
}

/** ОГРН (13 digits) or ОГРНИП (15 digits). */
export function checkOgrn(raw: string): Check {
  const v = digitsOnly(raw);
  if (!/^\d+$/.test(v)) return { ok: false, message: "ОГРН состоит только из цифр." };
  if (v.length !== 13 && v.length !== 15) {
    return { ok: false, message: `ОГРН содержит 13 цифр, ОГРНИП — 15, а указано ${v.length}.` };
  }
  if (!ogrnCheckDigitValid(v)) {
    return {
      ok: false,
      message: `Контрольная цифра ${v.length === 13 ? "ОГРН" : "ОГРНИП"} не сходится — проверьте, нет ли опечатки.`,
    };
  }
  return { ok: true, value: v };
}

export function checkKpp(raw: string): Check {
  const v = raw.replace(/\s/g, "").toUpperCase();
  if (v.length !== 9) return { ok: false, message: `КПП содержит 9 символов, а указано ${v.length}.` };
  if (!/^\d{4}[\dA-Z]{2}\d{3}$/.test(v)) {
    return {
      ok: false,
      message: "КПП: первые 4 и последние 3 символа — цифры, 5-й и 6-й — цифры или заглавные латинские буквы.",
    };
  }
  return { ok: true, value: v };
}

export function checkRegistrationNumber(raw: string): Check {
  const v = digitsOnly(raw);
  if (!/^\d+$/.test(v)) return { ok: false, message: "Регистрационный номер состоит только из цифр." };
  if (v.length !== 10)
    return { ok: false, message: `Регистрационный номер в СФР содержит 10 цифр, а указано ${v.length}.` };
  return { ok: true, value: v };
}

/** The 12-digit СФР registration number (XXX-XXX-XXXXXX, dashes optional) → its digits. */
export function checkSfrRegistrationNumber(raw: string): Check {
  const v = digitsOnly(raw);
  if (!/^\d+$/.test(v))
    return { ok: false, message: "Регистрационный номер СФР состоит только из цифр (вида XXX-XXX-XXXXXX)." };
  if (v.length !== 12)
    return {
      ok: false,
      message: `Регистрационный номер СФР содержит 12 цифр (XXX-XXX-XXXXXX), а указано ${v.length}.`,
    };
  return { ok: true, value: v };
}

/** Either number people type into «Регистрационный номер»: 10 digits (ФСС) or 12 (СФР). */
export function checkAnyRegistrationNumber(
  raw: string,
): { ok: true; kind: "fss" | "sfr"; value: string } | { ok: false; message: string } {
  const v = digitsOnly(raw);
  if (/^\d{12}$/.test(v)) return { ok: true, kind: "sfr", value: v };
  if (/^\d{10}$/.test(v)) return { ok: true, kind: "fss", value: v };
  if (!/^\d+$/.test(v)) return { ok: false, message: "Регистрационный номер состоит только из цифр." };
  return {
    ok: false,
    message: `Регистрационный номер — 10 цифр (ФСС) или 12 цифр (СФР, XXX-XXX-XXXXXX), а указано ${v.length}.`,
  };
}

/** The 12-digit СФР number grouped as people read it: 087-001-000001. */
export function formatSfrRegnum(digits: string | null): string {
  return digits && /^\d{12}$/.test(digits)
    ? `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`
    : (digits ?? "");
}

/**
 * The first four digits of a ФСС registration number are the code of the branch (филиал) of a regional office that
 * registered the insurer: two digits of the region, two of the branch — 0274 is branch 74 of Башкортостан, 7701
 * branch 1 of Москва. Since the merger the regional branch of СФР serving that subject (ОСФР по …, code RR00) handles
 * them; the four digits stay visible as the subdivision.
 */
export function subdivisionCodeOf(registrationNumber: string): string {
  return registrationNumber.slice(0, 4);
}

/**
 * The regional branch (ОСФР) that handles the insurer of a 10-digit ФСС number: the branch serving the number's
 * region (5003… of Московская область → 7700, the branch of г. Москва и Московская область), or null when no branch
 * serves that region.
 */
export function officeCodeOf(registrationNumber: string): string | null {
  return branchOfRegion(registrationNumber.slice(0, 2));
}

/**
 * The 12-digit СФР number (XXX-XXX-XXXXXX, inherited from the ПФР) begins with the ПФР's three-digit code of the
 * region, then three of the district (ПФР's own numbering, not the subjects' codes: 087 is Москва). Only codes
 * confirmed from public sources are listed; an unlisted code routes nothing, and the 10-digit number decides.
 */
export const SFR_NUMBER_REGIONS: Readonly<Record<string, string>> = { "087": "77" };

/** The branch (RR00) a 12-digit СФР number points to, or null when its region code is not in the table. */
export function officeCodeOfSfrNumber(sfrRegistrationNumber: string): string | null {
  const region = SFR_NUMBER_REGIONS[sfrRegistrationNumber.slice(0, 3)];
  return region ? branchOfRegion(region) : null;
}

/** Makes a valid 10-digit ИНН from 9 leading digits (for generated registries and tests). */
export function withInnCheckDigit(first9: string): string {
  const d = (weightedSum(first9, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
  return first9 + d;
}

/** Makes a valid 12-digit ИНН from 10 leading digits. */
export function withPersonalInnCheckDigits(first10: string): string {
  const n11 = (weightedSum(first10, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
  const s11 = first10 + n11;
  const n12 = (weightedSum(s11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11) % 10;
  return s11 + n12;
}

/** Makes a valid ОГРН (12 leading digits) or ОГРНИП (14 leading digits). */
export function withOgrnCheckDigit(leading: string): string {
  const mod = leading.length === 12 ? 11n : 13n;
  return leading + String((BigInt(leading) % mod) % 10n);
}
