// The cross-checks of an МЧД against the proxy it is uploaded for, as a list of named checks (pure: null or the
// refusal naming both values), then the signature: the detached CMS verifies over the XML's bytes, the signer's
// certificate is qualified (the same profile and trust list as a representative's certificate) and belongs to the
// head the МЧД names.
import type { Db } from "../../db/index.server";
import { holderNameMatches, personName, type PersonName } from "../certificates/holder";
import { GostUnavailable, verifyDetachedCms } from "../certificates/gost-openssl.server";
import { NotACertificateError, parseCertificate, type ParsedCertificate } from "../certificates/parse.server";
import { firstProfileRefusal, holderMatchesAccount, PROFILE_CHECKS } from "../certificates/rules.server";
import { TrustRefused, verifyQualified, type ChainEntry } from "../certificates/trust.server";
import { formatSnils } from "../certificates/holder";
import { formatDate } from "../web/format";
import { powersCoverFundReporting, type Mchd, type MchdPerson } from "./mchd.server";

export type MchdRule =
  | "principal-is-organization"
  | "representative-is-account"
  | "representative-matches-certificate"
  | "term-covers-today"
  | "powers-cover-reporting";

export interface MchdSubject {
  mchd: Mchd;
  organization: { inn: string; kpp: string | null; ogrn: string | null; shortName: string };
  account: PersonName;
  /** The representative's current certificate: its СНИЛС and ИНН, where it has them. */
  certificate: { snils: string | null; inn: string | null } | null;
  today: string;
}

export interface MchdCheck {
  name: MchdRule;
  check: (s: MchdSubject) => string | null;
}

const d = (iso: string) => formatDate(`${iso}T12:00:00Z`);
const fullName = (p: MchdPerson) => personName(p);
const digits = (s: string | null) => (s ?? "").replace(/\D/g, "");

export const principalIsOrganization: MchdCheck = {
  name: "principal-is-organization",
  check: ({ mchd: { principal: p }, organization: o }) => {
    if (p.inn !== o.inn)
      return `МЧД выдана организацией с ИНН ${p.inn}${p.name ? ` («${p.name}»)` : ""}, а загружается для ${o.shortName} с ИНН ${o.inn}.`;
    if (p.kpp && o.kpp && p.kpp !== o.kpp)
      return `КПП доверителя в МЧД ${p.kpp}, а у ${o.shortName} в реестре — ${o.kpp}.`;
    if (p.ogrn && o.ogrn && p.ogrn !== o.ogrn)
      return `ОГРН доверителя в МЧД ${p.ogrn}, а у ${o.shortName} в реестре — ${o.ogrn}.`;
    return null;
  },
};

export const representativeIsAccount: MchdCheck = {
  name: "representative-is-account",
  check: ({ mchd, account }) =>
    holderNameMatches(mchd.representative, account)
      ? null
      : `МЧД выдана представителю ${fullName(mchd.representative)}, а учётная запись — ${personName(account)}. Загрузите доверенность, выданную вам.`,
};

export const representativeMatchesCertificate: MchdCheck = {
  name: "representative-matches-certificate",
  check: ({ mchd: { representative: r }, certificate: c }) => {
    if (!c) return null;
    if (r.snils && c.snils && digits(r.snils) !== digits(c.snils))
      return `СНИЛС представителя в МЧД ${formatSnils(r.snils)}, а в вашем сертификате — ${formatSnils(c.snils)}.`;
    if (r.inn && c.inn && r.inn !== c.inn) return `ИНН представителя в МЧД ${r.inn}, а в вашем сертификате — ${c.inn}.`;
    return null;
  },
};

export const mchdTermCoversToday: MchdCheck = {
  name: "term-covers-today",
  check: ({ mchd, today }) =>
    mchd.issuedOn <= today && today <= mchd.validTo
      ? null
      : `Сегодня МЧД не действует: она выдана ${d(mchd.issuedOn)} и действует по ${d(mchd.validTo)}.`,
};

export const powersCoverReporting: MchdCheck = {
  name: "powers-cover-reporting",
  check: ({ mchd }) =>
    powersCoverFundReporting(mchd.powers)
      ? null
      : `Полномочия в МЧД не включают представление отчётности в Социальный фонд России: «${mchd.powers
          .map((p) => (p.code ? `${p.code} ${p.text}` : p.text))
          .join("; ")
          .slice(0, 300)}». Нужна МЧД с полномочием на представление отчётности в СФР.`,
};

export const MCHD_CHECKS: MchdCheck[] = [
  principalIsOrganization,
  representativeIsAccount,
  representativeMatchesCertificate,
  mchdTermCoversToday,
  powersCoverReporting,
];

export function firstMchdRefusal(
  subject: MchdSubject,
  checks = MCHD_CHECKS,
): { rule: MchdRule; message: string } | null {
  for (const c of checks) {
    const message = c.check(subject);
    if (message) return { rule: c.name, message };
  }
  return null;
}

export class MchdSignatureRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MchdSignatureRefused";
  }
}

/** Whether the certificate is the head's: the name (folded as for certificates), СНИЛС and ИНН where both have them. */
export function signerIsHead(signer: ParsedCertificate, head: MchdPerson): string | null {
  const holder = signer.holder;
  const named = holder ? personName(holder) : (signer.subjectCommonName ?? signer.subjectName);
  if (!holder || !holderNameMatches(holder, head))
    return `МЧД подписана сертификатом ${named}, а подписать её должен руководитель, указанный в доверенности: ${fullName(head)}.`;
  if (head.snils && signer.subject.snils && digits(head.snils) !== digits(signer.subject.snils))
    return `СНИЛС руководителя в МЧД ${formatSnils(head.snils)}, а в сертификате подписавшего — ${formatSnils(signer.subject.snils)}.`;
  if (head.inn && signer.subject.inn && head.inn !== signer.subject.inn)
    return `ИНН руководителя в МЧД ${head.inn}, а в сертификате подписавшего — ${signer.subject.inn}.`;
  return null;
}

export interface VerifiedSignature {
  signer: ParsedCertificate;
  chain: ChainEntry[];
}

/** The signature checks, in order; throws MchdSignatureRefused with the reason. */
export async function verifyMchdSignature(
  db: Db,
  xml: Buffer,
  signature: Buffer,
  mchd: Mchd,
  now: Date,
): Promise<VerifiedSignature> {
  let verdict;
  try {
    verdict = await verifyDetachedCms(xml, signature);
  } catch (error) {
    if (error instanceof GostUnavailable)
      throw new MchdSignatureRefused(
        "Проверить подпись МЧД сейчас невозможно: на сервере не установлены средства ГОСТ.",
      );
    throw error;
  }
  if (!verdict.ok) {
    throw new MchdSignatureRefused(
      verdict.reason === "not-cms"
        ? "Файл подписи не является отсоединённой подписью CMS (.sig в DER или Base64). Выгрузите подпись МЧД из реестра ФНС или из программы подписи."
        : verdict.reason === "no-signer-certificate"
          ? "В файле подписи нет сертификата подписавшего: выгрузите подпись вместе с сертификатом."
          : "Подпись не подходит к этому файлу МЧД: она сделана для другого документа или файл изменён после подписания.",
    );
  }
  let signer: ParsedCertificate;
  try {
    signer = parseCertificate(verdict.signers[0]);
  } catch (error) {
    if (error instanceof NotACertificateError)
      throw new MchdSignatureRefused("Сертификат подписавшего МЧД не читается.");
    throw error;
  }
  const profile = firstProfileRefusal(
    { cert: signer, account: { surname: "", givenName: "", patronymic: "" }, now },
    PROFILE_CHECKS.filter((c) => c !== holderMatchesAccount),
  );
  if (profile)
    throw new MchdSignatureRefused(`Сертификат, которым подписана МЧД, не подходит: ${lower(profile.message)}`);
  let chain: ChainEntry[];
  try {
    chain = (await verifyQualified(db, signer, now)).chain;
  } catch (error) {
    if (error instanceof TrustRefused)
      throw new MchdSignatureRefused(`Сертификат, которым подписана МЧД: ${lower(error.message)}`);
    throw error;
  }
  const notHead = signerIsHead(signer, mchd.head);
  if (notHead) throw new MchdSignatureRefused(notHead);
  return { signer, chain };
}

const lower = (s: string) => s.replace(/^./, (c) => c.toLowerCase());
