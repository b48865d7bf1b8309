// `npm run registry:import`: loads a registry CSV (UTF-8 with or without BOM, header
// regnum;inn;kpp;ogrn;full_name;short_name;address and optionally sfr_regnum, the 12-digit СФР number;
// `;` or `,` between fields), checks every row,
// upserts by registration number in batches, and reports what was added, updated and refused.
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { Db } from "../../db/index.server";
import {
  checkInn,
  checkKpp,
  checkOgrn,
  checkRegistrationNumber,
  checkSfrRegistrationNumber,
  formatSfrRegnum,
  officeCodeOf,
  officeCodeOfSfrNumber,
} from "./identifiers";
import { upsertOrganizations, type RegistryEntry } from "./registry.server";

export const REQUIRED_COLUMNS = ["regnum", "inn", "kpp", "ogrn", "full_name", "short_name", "address"] as const;
const BATCH = 1000;

export interface ImportReport {
  read: number;
  added: number;
  updated: number;
  refused: Array<{ line: number; reason: string }>;
  fatal: string | null;
}

/** Validates one row; returns the entry or the reason it is refused. */
export function registryEntryOf(row: Record<string, string | undefined>): RegistryEntry | string {
  const get = (k: string) => (row[k] ?? "").trim();
  const regnum = checkRegistrationNumber(get("regnum"));
  if (!regnum.ok) return `рег. номер «${get("regnum")}»: ${regnum.message}`;
  let sfrRegnum: string | null = null;
  if (get("sfr_regnum")) {
    const sfr = checkSfrRegistrationNumber(get("sfr_regnum"));
    if (!sfr.ok) return `рег. номер СФР «${get("sfr_regnum")}»: ${sfr.message}`;
    sfrRegnum = sfr.value;
  }
  const inn = checkInn(get("inn"));
  if (!inn.ok) return `ИНН «${get("inn")}»: ${inn.message}`;
  const ogrn = checkOgrn(get("ogrn"));
  if (!ogrn.ok) return `ОГРН «${get("ogrn")}»: ${ogrn.message}`;
  const isEntrepreneur = inn.value.length === 12;
  if (isEntrepreneur !== (ogrn.value.length === 15)) {
    return isEntrepreneur
      ? "у ИП (ИНН из 12 цифр) должен быть ОГРНИП из 15 цифр"
      : "у организации (ИНН из 10 цифр) должен быть ОГРН из 13 цифр";
  }
  let kpp: string | null = null;
  if (get("kpp")) {
    const k = checkKpp(get("kpp"));
    if (!k.ok) return `КПП «${get("kpp")}»: ${k.message}`;
    kpp = k.value;
  } else if (!isEntrepreneur) return "КПП не указан (пустым он может быть только у ИП)";
  const fullName = get("full_name");
  const shortName = get("short_name") || fullName;
  if (!fullName) return "не указано полное наименование (full_name)";
  if (fullName.length > 1000 || shortName.length > 500 || get("address").length > 1000)
    return "слишком длинное наименование или адрес";
  return {
    regnum: regnum.value,
    sfrRegnum,
    inn: inn.value,
    kpp,
    ogrn: ogrn.value,
    fullName,
    shortName,
    address: get("address"),
  };
}

/** Reads up to the end of the first line, and gives back a stream of the whole input. */
async function firstLine(stream: Readable): Promise<{ head: Buffer; rest: Readable }> {
  const iterator = stream.iterator({ destroyOnReturn: false });
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= 64 * 1024) {
    const { value, done } = await iterator.next();
    if (done) break;
    const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value as string);
    chunks.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a)) break;
  }
  const head = Buffer.concat(chunks);
  async function* whole() {
    yield head;
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      yield value as Buffer;
    }
  }
  return { head, rest: Readable.from(whole()) };
}

export async function importRegistry(db: Db, input: Readable): Promise<ImportReport> {
  const report: ImportReport = { read: 0, added: 0, updated: 0, refused: [], fatal: null };
  const { head, rest } = await firstLine(input);
  const header = head
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)[0];
  const delimiter = header.includes(";") ? ";" : ",";
  const columns = header.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, "").toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    report.fatal = `В первой строке нет столбцов: ${missing.join(", ")}. Ожидается заголовок ${REQUIRED_COLUMNS.join(";")}.`;
    return report;
  }
  const known = new Set((await db.selectFrom("territorial_bodies").select("code").execute()).map((r) => r.code));
  const parser = rest.pipe(
    parse({
      bom: true,
      delimiter,
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
      info: true,
    }),
  );
  let batch = new Map<string, { entry: RegistryEntry; line: number }>();
  const flush = async () => {
    const lines = [...batch.values()];
    batch = new Map();
    if (!lines.length) return;
    // An СФР number belongs to one organisation: a row giving another organisation's number is refused.
    const sfrNumbers = lines.map((l) => l.entry.sfrRegnum).filter((n): n is string => Boolean(n));
    const owners = new Map<string, string>();
    if (sfrNumbers.length) {
      const rows = await db
        .selectFrom("organizations")
        .select(["regnum", "sfr_regnum"])
        .where("sfr_regnum", "in", sfrNumbers)
        .execute();
      for (const r of rows) if (r.sfr_regnum) owners.set(r.sfr_regnum, r.regnum);
    }
    const entries: RegistryEntry[] = [];
    for (const { entry, line } of lines) {
      // Never an invented office: a number of a region without a branch is a refused line.
      const office = officeCodeOf(entry.regnum);
      if (!office || !known.has(office)) {
        report.refused.push({
          line,
          reason: `регион «${entry.regnum.slice(0, 2)}» рег. номера ${entry.regnum} неизвестен: ни одно отделение СФР его не обслуживает`,
        });
        continue;
      }
      // Both numbers carry the region: when the 12-digit one names another branch, the row is a mistake.
      const sfrOffice = entry.sfrRegnum ? officeCodeOfSfrNumber(entry.sfrRegnum) : null;
      if (sfrOffice && sfrOffice !== office) {
        report.refused.push({
          line,
          reason: `рег. номер СФР ${formatSfrRegnum(entry.sfrRegnum ?? null)} относится к отделению ${sfrOffice}, а рег. номер ${entry.regnum} — к отделению ${office}`,
        });
        continue;
      }
      const owner = entry.sfrRegnum ? owners.get(entry.sfrRegnum) : undefined;
      if (entry.sfrRegnum && owner && owner !== entry.regnum) {
        report.refused.push({
          line,
          reason: `рег. номер СФР ${formatSfrRegnum(entry.sfrRegnum)} уже записан за организацией с рег. номером ${owner}`,
        });
        continue;
      }
      if (entry.sfrRegnum) owners.set(entry.sfrRegnum, entry.regnum);
      entries.push(entry);
    }
    if (!entries.length) return;
    const { added, updated } = await db.transaction().execute((trx) => upsertOrganizations(trx, entries));
    report.added += added;
    report.updated += updated;
  };
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      report.read++;
      const entry = registryEntryOf(record.record);
      if (typeof entry === "string") report.refused.push({ line: record.info.lines, reason: entry });
      else batch.set(entry.regnum, { entry, line: record.info.lines }); // a repeated number in one batch: the last row wins
      if (batch.size >= BATCH) await flush();
    }
    await flush();
  } catch (error) {
    report.fatal = `Файл не удалось дочитать: ${error instanceof Error ? error.message : String(error)}`;
  }
  return report;
}
