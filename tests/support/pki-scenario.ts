// One test PKI with every defect the trust checks must tell apart, made fresh with OpenSSL's GOST engine:
// root (2012-512) → issuing CA (2012-256) → Кузнецова's certificates, good and broken; an expired CA, a forger
// copying the CA's name, a CA nobody trusts, an old ГОСТ 2001 root. Dates are around 2026-11-23 (the tests' clock).
import path from "node:path";
import { tempDir } from "./databases";
import { TestPki, type CertSpec, type Issued } from "./pki";

export const HOLDER = { surname: "Кузнецова", givenName: "Анна", patronymic: "Сергеевна" };
const SUBJECT = "/C=RU/SN=Кузнецова/GN=Анна Сергеевна/CN=Кузнецова Анна Сергеевна/SNILS=11223344595/INN=500100732259";
const TERM = { notBefore: "20261001000000Z", notAfter: "20271001000000Z" };

export interface Scenario {
  pki: TestPki;
  root: Issued;
  ca: Issued;
  expiredCa: Issued;
  untrustedRoot: Issued;
  untrustedCa: Issued;
  oldRoot: Issued;
  oldCa: Issued;
  people: Record<
    | "good"
    | "good512"
    | "noQualified"
    | "noPolicy"
    | "noSignatureUsage"
    | "privateKeyEnded"
    | "caFlag"
    | "selfSigned"
    | "forged"
    | "underExpiredCa"
    | "untrusted"
    | "revoked"
    | "underOldRoot",
    Issued
  >;
}

/** Builds the scenario; `crlBase` is where its CRL distribution points point (a local server in tests). */
export function makeScenario(crlBase = "http://crl.scenario.invalid"): Scenario {
  const pki = new TestPki(path.join(tempDir("sedo-pki-"), "pki"));
  const person = (id: string, extra: Partial<CertSpec> = {}): CertSpec => ({
    id,
    subject: SUBJECT,
    ...TERM,
    crlUrls: [`${crlBase}/ca.crl`],
    ...extra,
  });
  const root = pki.root({
    id: "root",
    subject: "/C=RU/O=Сценарий/CN=Корневой УЦ сценария",
    key: "gost2012_512",
    notBefore: "20260101000000Z",
    notAfter: "20400101000000Z",
  });
  const ca = pki.issue(root, {
    id: "ca",
    subject: "/C=RU/O=Сценарий/CN=УЦ сценария",
    ca: true,
    pathlen: 0,
    notBefore: "20260101000000Z",
    notAfter: "20360101000000Z",
    crlUrls: [`${crlBase}/root.crl`],
  });
  const expiredCa = pki.issue(root, {
    id: "expired-ca",
    subject: "/C=RU/O=Сценарий/CN=УЦ сценария 2025",
    ca: true,
    pathlen: 0,
    notBefore: "20250101000000Z",
    notAfter: "20260601000000Z",
  });
  const untrustedRoot = pki.root({
    id: "untrusted-root",
    subject: "/C=RU/O=Самодельный/CN=Неаккредитованный корневой УЦ",
    notBefore: "20260101000000Z",
    notAfter: "20400101000000Z",
  });
  const untrustedCa = pki.issue(untrustedRoot, {
    id: "untrusted-ca",
    subject: "/C=RU/O=Самодельный/CN=Неаккредитованный УЦ",
    ca: true,
    notBefore: "20260101000000Z",
    notAfter: "20360101000000Z",
  });
  // A forger's CA under the real CA's very name, with a key of its own.
  const forger = pki.root({
    id: "forger",
    subject: "/C=RU/O=Сценарий/CN=УЦ сценария",
    notBefore: "20260101000000Z",
    notAfter: "20360101000000Z",
  });
  const oldRoot = pki.root({
    id: "old-root",
    subject: "/C=RU/O=Сценарий/CN=Старый корневой УЦ ГОСТ 2001",
    key: "gost2001",
    notBefore: "20120101000000Z",
    notAfter: "20300101000000Z",
  });
  const oldCa = pki.issue(oldRoot, {
    id: "old-ca",
    subject: "/C=RU/O=Сценарий/CN=УЦ под старым корнем",
    ca: true,
    notBefore: "20200101000000Z",
    notAfter: "20300101000000Z",
  });
  const people: Scenario["people"] = {
    good: pki.issue(ca, person("good")),
    good512: pki.issue(ca, person("good512", { key: "gost2012_512" })),
    noQualified: pki.issue(ca, person("no-qualified", { qualified: false })),
    noPolicy: pki.issue(ca, person("no-policy", { policies: null })),
    noSignatureUsage: pki.issue(ca, person("no-signature-usage", { keyUsage: ["keyEncipherment"] })),
    privateKeyEnded: pki.issue(
      ca,
      person("private-key-ended", { privateKeyUsage: { notBefore: TERM.notBefore, notAfter: "20261101000000Z" } }),
    ),
    caFlag: pki.issue(ca, person("ca-flag", { ca: true, keyUsage: ["digitalSignature", "keyCertSign"] })),
    selfSigned: pki.root(person("self-signed", { ca: false, keyUsage: undefined })),
    forged: pki.issue(forger, person("forged", { noAuthorityKeyId: true })),
    underExpiredCa: pki.issue(expiredCa, person("under-expired-ca", { notBefore: "20250601000000Z" })),
    untrusted: pki.issue(untrustedCa, person("untrusted")),
    revoked: pki.issue(ca, person("revoked")),
    underOldRoot: pki.issue(oldCa, person("under-old-root")),
  };
  return { pki, root, ca, expiredCa, untrustedRoot, untrustedCa, oldRoot, oldCa, people };
}
