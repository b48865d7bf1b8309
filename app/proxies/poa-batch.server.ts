// «Загрузить доверенности пакетом»: each scan finds its organisation by a number in its file name — the ФСС
// registration number (10 digits), the СФР number (12 digits, dashes allowed) or the ИНН (10 or 12 digits) of one of
// the representative's organisations. A name that names none, or several, or an organisation another file of the
// same batch already took, is not attached, and the table says why. Pure: the files are attached by the caller.
import { formatSfrRegnum } from "../organizations/identifiers";

export interface BatchProxy {
  id: number;
  regnum: string;
  sfr_regnum: string | null;
  inn: string;
  short_name: string;
}

export type BatchMatch<P extends BatchProxy> =
  { name: string; proxy: P; by: "regnum" | "sfr" | "inn" } | { name: string; proxy: null; reason: string };

/** The runs of digits in a file name that could be a number: 10 or 12 digits, or XXX-XXX-XXXXXX. */
export function numbersInName(name: string): string[] {
  const base = name.replace(/\.[^.]*$/, "");
  const found = new Set<string>();
  for (const m of base.matchAll(/(?<!\d)(\d{3})-(\d{3})-(\d{6})(?!\d)/g)) found.add(m[1] + m[2] + m[3]);
  for (const m of base.matchAll(/(?<!\d)\d+(?!\d)/g)) if (m[0].length === 10 || m[0].length === 12) found.add(m[0]);
  return [...found];
}

export function matchPoaFiles<P extends BatchProxy>(names: string[], proxies: P[]): BatchMatch<P>[] {
  const byRegnum = new Map(proxies.map((p) => [p.regnum, p]));
  const bySfr = new Map(proxies.filter((p) => p.sfr_regnum).map((p) => [p.sfr_regnum!, p]));
  const byInn = new Map<string, P[]>();
  for (const p of proxies) byInn.set(p.inn, [...(byInn.get(p.inn) ?? []), p]);
  const taken = new Map<number, string>();
  return names.map((name): BatchMatch<P> => {
    const numbers = numbersInName(name);
    const hits = new Map<number, { proxy: P; by: "regnum" | "sfr" | "inn" }>();
    const sharedInn: string[] = [];
    for (const n of numbers) {
      const r = byRegnum.get(n);
      if (r) hits.set(r.id, { proxy: r, by: "regnum" });
      const s = bySfr.get(n);
      if (s && !hits.has(s.id)) hits.set(s.id, { proxy: s, by: "sfr" });
      const i = byInn.get(n) ?? [];
      if (i.length === 1 && !hits.has(i[0].id)) hits.set(i[0].id, { proxy: i[0], by: "inn" });
      if (i.length > 1) sharedInn.push(n);
    }
    if (hits.size === 0) {
      if (sharedInn.length)
        return {
          name,
          proxy: null,
          reason: `ИНН ${sharedInn[0]} у нескольких ваших организаций (обособленные подразделения): назовите файл по рег. номеру`,
        };
      return {
        name,
        proxy: null,
        reason: numbers.length
          ? `номер ${numbers.join(", ")} в имени файла не принадлежит ни одной из ваших организаций`
          : "в имени файла нет рег. номера или ИНН: назовите файл, например, 7701000001.pdf",
      };
    }
    if (hits.size > 1) {
      const names = [...hits.values()].map((h) => `${h.proxy.short_name} (${h.proxy.regnum})`);
      return { name, proxy: null, reason: `имя файла подходит к нескольким организациям: ${names.join(", ")}` };
    }
    const hit = [...hits.values()][0];
    const earlier = taken.get(hit.proxy.id);
    if (earlier)
      return {
        name,
        proxy: null,
        reason: `для ${hit.proxy.short_name} (${hit.proxy.regnum}) в пакете уже есть файл «${earlier}»`,
      };
    taken.set(hit.proxy.id, name);
    return { name, proxy: hit.proxy, by: hit.by };
  });
}

/** How the table names the number that matched. */
export function matchedBy(match: { proxy: BatchProxy; by: "regnum" | "sfr" | "inn" }): string {
  if (match.by === "regnum") return `по рег. номеру ${match.proxy.regnum}`;
  if (match.by === "sfr") return `по рег. номеру СФР ${formatSfrRegnum(match.proxy.sfr_regnum)}`;
  return `по ИНН ${match.proxy.inn}`;
}
