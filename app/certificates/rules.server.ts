// The qualified profile of a representative's certificate as a list of named checks, each a pure function of
// the parsed certificate, the account and the moment: null when it holds, otherwise the refusal's code and its
// Russian message. The chain to an accredited CA, the signatures and revocation come after these
// (app/certificates/trust.server.ts), since they need the trust list.
import { formatDate } from "../web/format";
import { holderNameMatches, personName, type PersonName } from "./holder";
import { KEY_ALGORITHM_NAMES, type ParsedCertificate } from "./parse.server";

export type ProfileRefusal =
  | "ca-certificate"
  | "not-gost"
  | "not-a-person"
  | "not-yet-valid"
  | "expired"
  | "private-key-period"
  | "key-usage"
  | "not-qualified"
  | "no-protection-class"
  | "holder-mismatch";

export interface ProfileSubject {
  cert: ParsedCertificate;
  account: PersonName;
  now: Date;
}

export interface ProfileCheck {
  name: ProfileRefusal;
  check: (s: ProfileSubject) => string | null;
}

/** Certificate policies of the protection classes КС1, КС2, КС3, КВ1, КВ2, КА1 (Приказ ФСБ № 795). */
export const PROTECTION_CLASS_POLICIES: Record<string, string> = {
  "1.2.643.100.113.1": "КС1",
  "1.2.643.100.113.2": "КС2",
  "1.2.643.100.113.3": "КС3",
  "1.2.643.100.113.4": "КВ1",
  "1.2.643.100.113.5": "КВ2",
  "1.2.643.100.113.6": "КА1",
};

const term = (from: Date, to: Date) => `с ${formatDate(from)} по ${formatDate(to)}`;

export const notCaCertificate: ProfileCheck = {
  name: "ca-certificate",
  check: ({ cert }) =>
    cert.extensions.ca
      ? `Это сертификат удостоверяющего центра «${cert.subjectCommonName ?? cert.subjectName}», а не сертификат человека. Загрузите свой сертификат подписи — тот, что выдан вам как уполномоченному представителю.`
      : null,
};

export const gostKey: ProfileCheck = {
  name: "not-gost",
  check: ({ cert }) =>
    cert.keyAlgorithm === "gost2012-256" || cert.keyAlgorithm === "gost2012-512"
      ? null
      : `Ключ сертификата — ${KEY_ALGORITHM_NAMES[cert.keyAlgorithm]}, а не ГОСТ Р 34.10-2012. Такой сертификат не является квалифицированным сертификатом для СЭДО.`,
};

export const heldByPerson: ProfileCheck = {
  name: "not-a-person",
  check: ({ cert }) =>
    cert.holder
      ? null
      : `Сертификат выдан ${cert.subject.organization || cert.subject.innle ? "организации" : "без указания владельца"} «${cert.subjectCommonName ?? cert.subjectName}»: в нём нет фамилии и имени человека (поля SN и G). Для СЭДО нужен сертификат, выданный вам лично, — в том числе сертификат сотрудника организации с вашими фамилией и именем.`,
};

export const startedByToday: ProfileCheck = {
  name: "not-yet-valid",
  check: ({ cert, now }) =>
    now < cert.notBefore
      ? `Сертификат ещё не действует: срок его действия ${term(cert.notBefore, cert.notAfter)}. Загрузите его, когда срок начнётся.`
      : null,
};

export const notExpired: ProfileCheck = {
  name: "expired",
  check: ({ cert, now }) =>
    now > cert.notAfter
      ? `Срок действия сертификата истёк: он действовал ${term(cert.notBefore, cert.notAfter)}. Загрузите действующий сертификат.`
      : null,
};

export const privateKeyUsagePeriodCoversToday: ProfileCheck = {
  name: "private-key-period",
  check: ({ cert, now }) => {
    const period = cert.extensions.privateKeyUsagePeriod;
    if (!period) return null;
    if (period.notAfter && now > period.notAfter)
      return `Срок действия закрытого ключа истёк ${formatDate(period.notAfter)}: подписывать им отчёты больше нельзя, хотя сам сертификат действует до ${formatDate(cert.notAfter)}. Получите новый сертификат в удостоверяющем центре.`;
    if (period.notBefore && now < period.notBefore)
      return `Закрытый ключ этого сертификата можно использовать только с ${formatDate(period.notBefore)}.`;
    return null;
  },
};

export const keyUsageAllowsSignature: ProfileCheck = {
  name: "key-usage",
  check: ({ cert }) => {
    const usage = cert.extensions.keyUsage;
    if (usage?.includes("digitalSignature")) return null;
    return usage
      ? "Назначение ключа в сертификате не включает электронную подпись (keyUsage без digitalSignature): таким сертификатом нельзя подписывать отчёты."
      : "В сертификате не указано назначение ключа (keyUsage): квалифицированный сертификат обязан разрешать электронную подпись.";
  },
};

export const hasQualifiedExtensions: ProfileCheck = {
  name: "not-qualified",
  check: ({ cert }) => {
    const missing = [
      cert.extensions.subjectSignTool === null ? "средство электронной подписи владельца (1.2.643.100.111)" : null,
      cert.extensions.issuerSignTool === null ? "средства удостоверяющего центра (1.2.643.100.112)" : null,
    ].filter(Boolean);
    return missing.length
      ? `Сертификат не является квалифицированным: в нём нет обязательных сведений — ${missing.join(" и ")}.`
      : null;
  },
};

export const hasProtectionClassPolicy: ProfileCheck = {
  name: "no-protection-class",
  check: ({ cert }) =>
    cert.extensions.policies.some((p) => p in PROTECTION_CLASS_POLICIES)
      ? null
      : "В сертификате не указан класс средства электронной подписи (политика КС1, КС2, КС3, КВ1, КВ2 или КА1): это не квалифицированный сертификат.",
};

export const holderMatchesAccount: ProfileCheck = {
  name: "holder-mismatch",
  check: ({ cert, account }) =>
    cert.holder && holderNameMatches(cert.holder, account)
      ? null
      : `Владелец сертификата (${cert.holder ? personName(cert.holder) : "не указан"}) не совпадает с владельцем учётной записи (${personName(account)}). Загрузите свой сертификат.`,
};

/** In the order a person can act on: what the file is, whose it is, its dates, its profile, then the name. */
export const PROFILE_CHECKS: ProfileCheck[] = [
  notCaCertificate,
  gostKey,
  heldByPerson,
  startedByToday,
  notExpired,
  privateKeyUsagePeriodCoversToday,
  keyUsageAllowsSignature,
  hasQualifiedExtensions,
  hasProtectionClassPolicy,
  holderMatchesAccount,
];

export function firstProfileRefusal(
  subject: ProfileSubject,
  checks: ProfileCheck[] = PROFILE_CHECKS,
): { name: ProfileRefusal; message: string } | null {
  for (const c of checks) {
    const message = c.check(subject);
    if (message) return { name: c.name, message };
  }
  return null;
}
