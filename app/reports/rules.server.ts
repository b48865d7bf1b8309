// The acceptance rules of the gateway as a list of named checks over one report and the facts around it
// (the organisation, the proxy, the certificate, what was accepted before). Each check answers null or
// its refusal in Russian, naming both values where two disagree; the first refusal decides. Pure: the
// intake loads the facts, the rules only read them.
import type { ProxyStatus } from "../../db/schema";
import { certificateValidAt } from "../certificates/validity";
import { STATUS_LABELS } from "../proxies/statuses";
import { formatDate } from "../web/format";
import { formatSfrRegnum } from "../organizations/identifiers";
import { correctionLabel, type ReportFile } from "./forms/report-file";
import { periodEnd, periodLabel } from "./periods";

/** Injury contributions are reported in section 2 of ЕФС-1 from this year; 4-ФСС covers the years before. */
export const EFS1_FROM_YEAR = 2023;

export type RuleName =
  | "file-readable"
  | "archive-readable"
  | "organization-found"
  | "inn-matches"
  | "kpp-matches"
  | "form-fits-period"
  | "proxy-approved"
  | "term-covers-today"
  | "certificate-valid-today"
  | "certificate-qualified"
  | "period-ended"
  | "correction-is-new";

export interface Refusal {
  rule: RuleName;
  message: string;
}

export interface AcceptedEarlier {
  correction: number;
  receiptNumber: string;
}

export interface Subject {
  file: ReportFile;
  organization: {
    id: number;
    regnum: string;
    sfrRegnum: string | null;
    inn: string;
    kpp: string | null;
    shortName: string;
  };
  proxy: {
    id: number;
    status: ProxyStatus;
    validFrom: string | null;
    validTo: string | null;
    /** The term the office last approved, kept while a change of an approved proxy is in review. */
    approvedValidFrom?: string | null;
    approvedValidTo?: string | null;
  };
  certificate: {
    notBefore: string;
    notAfter: string;
    /** Whether its chain to an accredited CA was verified (certificates from before 0011 were not). */
    verified: boolean;
    /** Why it stopped counting since (revoked, its CA left the trust list), in words; null while it counts. */
    trustLost: string | null;
  } | null;
  /** Now (ISO-8601 UTC) and today's date in Moscow. */
  now: string;
  today: string;
  /** Reports of the same form, organisation, period and year accepted before, oldest first. */
  accepted: AcceptedEarlier[];
}

export interface Rule {
  name: RuleName;
  check: (s: Subject) => string | null;
}

const d = (ymd: string) => formatDate(ymd + "T12:00:00Z");
const periodOf = (s: Subject) => `«${periodLabel(s.file.period, s.file.year)}»`;

export const innMatches: Rule = {
  name: "inn-matches",
  check: ({ file, organization: o }) =>
    file.inn === o.inn
      ? null
      : `ИНН в отчёте (${file.inn}) не совпадает с ИНН организации ${o.shortName} (${o.inn}) по реестру. Проверьте реквизиты страхователя в программе.`,
};

export const kppMatches: Rule = {
  name: "kpp-matches",
  check: ({ file, organization: o }) =>
    !file.kpp || !o.kpp || file.kpp === o.kpp
      ? null
      : `КПП в отчёте (${file.kpp}) не совпадает с КПП организации ${o.shortName} (${o.kpp}) по реестру.`,
};

export const formFitsPeriod: Rule = {
  name: "form-fits-period",
  check: (s) => {
    if (s.file.form === "4-FSS" && s.file.year >= EFS1_FROM_YEAR) {
      return `С ${EFS1_FROM_YEAR} года взносы на травматизм отражаются в разделе 2 ЕФС-1: расчёт 4-ФСС принимается только за периоды по 2022 год включительно, а этот — за ${periodOf(s)}. Отправьте ЕФС-1.`;
    }
    if (s.file.form === "EFS-1" && s.file.year < EFS1_FROM_YEAR) {
      return `Раздел 2 ЕФС-1 подаётся за периоды с ${EFS1_FROM_YEAR} года; за ${periodOf(s)} отправьте расчёт 4-ФСС.`;
    }
    return null;
  },
};

/**
 * Approved, or approved before and changed since (a new term or scan «На проверке»): until the office decides, the
 * approved term still counts — reports are accepted on a day both the approved and the new term cover.
 */
export const proxyApproved: Rule = {
  name: "proxy-approved",
  check: ({ proxy, organization, today }) => {
    if (proxy.status === "approved") return null;
    const earlier =
      proxy.status === "in_review" && proxy.approvedValidFrom && proxy.approvedValidTo
        ? { from: proxy.approvedValidFrom, to: proxy.approvedValidTo }
        : null;
    if (earlier && earlier.from <= today && today <= earlier.to) return null;
    if (earlier)
      return `Изменённая доверенность по организации ${organization.shortName} на проверке, а утверждённый ранее срок (с ${d(earlier.from)} по ${d(earlier.to)}) сегодня не действует. Отчёты будут приниматься после решения территориального органа.`;
    return `Доверенность по организации ${organization.shortName} не утверждена: статус «${STATUS_LABELS[proxy.status]}». Отчёты принимаются только по утверждённым доверенностям.`;
  },
};

export const termCoversToday: Rule = {
  name: "term-covers-today",
  check: ({ proxy: p, today }) =>
    p.validFrom && p.validTo && p.validFrom <= today && today <= p.validTo
      ? null
      : `Сегодня доверенность не действует: её срок с ${p.validFrom ? d(p.validFrom) : "—"} по ${p.validTo ? d(p.validTo) : "—"}.`,
};

export const certificateValidToday: Rule = {
  name: "certificate-valid-today",
  check: ({ certificate: c, now }) => {
    if (!c) return "Сертификат подписи не загружен. Загрузите его в разделе «Профиль → Уполномоченный».";
    return certificateValidAt(c, now)
      ? null
      : `Сертификат подписи сегодня не действует (срок с ${formatDate(c.notBefore)} по ${formatDate(c.notAfter)}). Загрузите действующий сертификат.`;
  },
};

export const certificateQualified: Rule = {
  name: "certificate-qualified",
  check: ({ certificate: c }) => {
    if (!c) return null;
    if (!c.verified)
      return "Сертификат подписи загружен до проверки цепочки до аккредитованного УЦ. Загрузите его ещё раз в разделе «Профиль → Уполномоченный» — портал проверит его.";
    return c.trustLost
      ? `Сертификат подписи больше не является квалифицированным: ${c.trustLost.replace(/^./, (ch) => ch.toLowerCase())} Загрузите действующий сертификат.`
      : null;
  },
};

export const periodEnded: Rule = {
  name: "period-ended",
  check: (s) => {
    const end = periodEnd(s.file.period, s.file.year);
    return end < s.today
      ? null
      : `Отчётный период ${periodOf(s)} ещё не закончился: отчёт за него принимается после ${d(end)}.`;
  },
};

/**
 * One initial report a period; corrections numbered upwards. A correction without an initial report here
 * is accepted: the initial one may have gone to the fund another way.
 */
export const correctionIsNew: Rule = {
  name: "correction-is-new",
  check: (s) => {
    if (!s.accepted.length) return null;
    const latest = s.accepted.reduce((a, b) => (b.correction >= a.correction ? b : a));
    if (s.file.correction === 0) {
      return `За ${periodOf(s)} по организации ${s.organization.shortName} уже принят расчёт (${correctionLabel(latest.correction)}, квитанция № ${latest.receiptNumber}). Исправления отправляются уточнённым расчётом: номер корректировки ${String(latest.correction + 1).padStart(3, "0")}.`;
    }
    if (latest.correction >= s.file.correction) {
      return `За ${periodOf(s)} по организации ${s.organization.shortName} уже принят ${correctionLabel(latest.correction)} расчёт (квитанция № ${latest.receiptNumber}); номер корректировки ${String(s.file.correction).padStart(3, "0")} уже использован. Следующий уточнённый расчёт — с номером ${String(latest.correction + 1).padStart(3, "0")}.`;
    }
    return null;
  },
};

/**
 * In the order a person fixes things: the right organisation, the right form, the proxy, the certificate, the
 * period. These are decided by the file, the organisation, the proxy and the certificate alone — not by what was
 * accepted before: the intake checks them before its transaction, and correctionIsNew (ACCEPTANCE_RULES' last)
 * inside it, under the organisation's lock, with the acceptances read there.
 */
export const SUBJECT_RULES: Rule[] = [
  innMatches,
  kppMatches,
  formFitsPeriod,
  proxyApproved,
  termCoversToday,
  certificateValidToday,
  certificateQualified,
  periodEnded,
];

/** Every acceptance rule, in the order a refusal names the first that fails. */
export const ACCEPTANCE_RULES: Rule[] = [...SUBJECT_RULES, correctionIsNew];

export function firstRefusal(subject: Subject, rules: Rule[] = ACCEPTANCE_RULES): Refusal | null {
  for (const rule of rules) {
    const message = rule.check(subject);
    if (message) return { rule: rule.name, message };
  }
  return null;
}

/** How a report names its insurer, for messages: «рег. номер 7700000001» or «рег. номер СФР 087-001-000001». */
export function insurerNumberOf(file: Pick<ReportFile, "regnum" | "sfrRegnum">): string {
  return file.regnum ? `рег. номером ${file.regnum}` : `рег. номером СФР ${formatSfrRegnum(file.sfrRegnum)}`;
}
