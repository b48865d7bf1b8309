// Field checks shared by the readers: each returns the normalised value or throws a refusal that names
// the field as the form's own documentation calls it.
import { PERIODS } from "../periods";
import { ReportFileRefused } from "./refusal";

const refuse = (message: string): never => {
  throw new ReportFileRefused("fields", message);
};

export function periodCode(raw: string, where: string): string {
  const code = raw.padStart(2, "0");
  if (!PERIODS[code]) refuse(`Код отчётного периода «${raw}» (${where}) неверен: допустимы 03, 06, 09 и 12.`);
  return code;
}

export function reportYear(raw: string, where: string): number {
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < 2000 || year > 2100)
    refuse(`Год отчётного периода (${where}) указан неверно: «${raw}».`);
  return year;
}

export function innOf(raw: string, where: string): string {
  if (!/^(\d{10}|\d{12})$/.test(raw)) {
    refuse(
      `ИНН страхователя (${where}) должен состоять из 10 цифр (организация) или 12 цифр (ИП), а указано «${raw}».`,
    );
  }
  return raw;
}

export function kppOf(raw: string, where: string): string | null {
  if (!raw) return null;
  if (!/^\d{4}[\dA-Z]{2}\d{3}$/.test(raw)) refuse(`КПП страхователя (${where}) указан неверно: «${raw}» (9 символов).`);
  return raw;
}

export function correctionOf(raw: string, where: string): number {
  if (!raw) return 0;
  if (!/^\d{1,3}$/.test(raw))
    refuse(`Номер корректировки (${where}) — до трёх цифр, например 000 или 001, а указано «${raw}».`);
  return Number(raw);
}

export function dateOf(raw: string): string | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw : null;
}
