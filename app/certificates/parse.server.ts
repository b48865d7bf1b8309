// Reads a .cer file (DER, or Base64 with or without the PEM lines) as X.509 with @peculiar/asn1-x509,
// and picks out what the fund cares about: the holder, СНИЛС, ИНН, ОГРН, validity, key algorithm, and the
// extensions of the qualified profile (CA flag, key usage, private key usage period, policies, the sign
// tools 1.2.643.100.111/112, key identifiers, CRL distribution points) that the trust checks read.
import crypto from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  CRLDistributionPoints,
  Certificate,
  CertificatePolicies,
  KeyUsage,
  KeyUsageFlags,
  PrivateKeyUsagePeriod,
  SubjectKeyIdentifier,
  type Extension,
  type Name,
} from "@peculiar/asn1-x509";
import * as asn1js from "asn1js";

export class NotACertificateError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NotACertificateError";
  }
}

export const OID = {
  surname: "2.5.4.4",
  givenName: "2.5.4.42",
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  title: "2.5.4.12",
  email: "1.2.840.113549.1.9.1",
  snils: "1.2.643.100.3",
  inn: "1.2.643.3.131.1.1",
  ogrn: "1.2.643.100.1",
  ogrnip: "1.2.643.100.5",
  innle: "1.2.643.100.4",
} as const;

export type KeyAlgorithm = "gost2012-256" | "gost2012-512" | "gost2001" | "rsa" | "ecdsa" | "other";

const KEY_ALGORITHMS: Record<string, KeyAlgorithm> = {
  "1.2.643.7.1.1.1.1": "gost2012-256",
  "1.2.643.7.1.1.1.2": "gost2012-512",
  "1.2.643.2.2.19": "gost2001",
  "1.2.840.113549.1.1.1": "rsa",
  "1.2.840.10045.2.1": "ecdsa",
};

export const KEY_ALGORITHM_NAMES: Record<KeyAlgorithm, string> = {
  "gost2012-256": "ГОСТ Р 34.10-2012, 256 бит",
  "gost2012-512": "ГОСТ Р 34.10-2012, 512 бит",
  gost2001: "ГОСТ Р 34.10-2001",
  rsa: "RSA",
  ecdsa: "ECDSA",
  other: "неизвестный алгоритм",
};

export interface CertificateHolder {
  surname: string;
  givenName: string;
  patronymic: string;
}

export type KeyUsageName = "digitalSignature" | "nonRepudiation" | "keyEncipherment" | "keyCertSign" | "cRLSign";

export interface CertificateExtensions {
  /** basicConstraints; null when absent (not a CA). */
  ca: boolean;
  pathLength: number | null;
  /** keyUsage bits; null when the extension is absent. */
  keyUsage: KeyUsageName[] | null;
  privateKeyUsagePeriod: { notBefore: Date | null; notAfter: Date | null } | null;
  policies: string[];
  /** 1.2.643.100.111: the signature tool of the holder; 1.2.643.100.112: the CA's tools. */
  subjectSignTool: string | null;
  issuerSignTool: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  crlUrls: string[];
  /** OIDs of extensions present but unreadable. */
  malformed: string[];
}

export const EXTENSION_OID = {
  subjectSignTool: "1.2.643.100.111",
  issuerSignTool: "1.2.643.100.112",
} as const;

export interface ParsedCertificate {
  der: Buffer;
  /** The subject's and the issuer's names, DER, hashed (SHA-256, hex): how issuers are found. */
  subjectHash: string;
  issuerHash: string;
  /** Subject and issuer the same name: a root or a self-signed certificate. */
  selfIssued: boolean;
  subjectName: string;
  subjectCommonName: string | null;
  extensions: CertificateExtensions;
  sha1: string;
  sha256: string;
  serial: string;
  issuer: string;
  issuerCommonName: string | null;
  subject: Partial<Record<keyof typeof OID, string>>;
  holder: CertificateHolder | null;
  notBefore: Date;
  notAfter: Date;
  keyAlgorithmOid: string;
  keyAlgorithm: KeyAlgorithm;
}

const hex = (b: ArrayBuffer | Uint8Array) =>
  Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b))
    .toString("hex")
    .toUpperCase();
const nameHash = (name: Name) =>
  crypto
    .createHash("sha256")
    .update(Buffer.from(AsnConvert.serialize(name)))
    .digest("hex");

const USAGE_FLAGS: Array<[KeyUsageName, number]> = [
  ["digitalSignature", KeyUsageFlags.digitalSignature],
  ["nonRepudiation", KeyUsageFlags.nonRepudiation],
  ["keyEncipherment", KeyUsageFlags.keyEncipherment],
  ["keyCertSign", KeyUsageFlags.keyCertSign],
  ["cRLSign", KeyUsageFlags.cRLSign],
];

function utf8Strings(der: ArrayBuffer): string[] {
  const decoded = asn1js.fromBER(der);
  if (decoded.offset === -1) throw new Error("bad BER");
  const block = decoded.result as unknown as { valueBlock: { value?: unknown[] }; getValue?: () => string };
  const items = block instanceof asn1js.Sequence ? (block.valueBlock.value as unknown[]) : [block];
  return items.map((item) => {
    const s = item as { getValue?: () => string; valueBlock?: { value?: string } };
    if (typeof s.getValue === "function") return String(s.getValue());
    return String(s.valueBlock?.value ?? "");
  });
}

/** Reads the extensions the trust checks need; one that cannot be read is listed, not fatal. */
export function readExtensions(list: Extension[] | undefined): CertificateExtensions {
  const out: CertificateExtensions = {
    ca: false,
    pathLength: null,
    keyUsage: null,
    privateKeyUsagePeriod: null,
    policies: [],
    subjectSignTool: null,
    issuerSignTool: null,
    subjectKeyId: null,
    authorityKeyId: null,
    crlUrls: [],
    malformed: [],
  };
  for (const ext of list ?? []) {
    const value = ext.extnValue.buffer;
    try {
      switch (ext.extnID) {
        case "2.5.29.19": {
          const bc = AsnConvert.parse(value, BasicConstraints);
          out.ca = bc.cA;
          out.pathLength = bc.pathLenConstraint ?? null;
          break;
        }
        case "2.5.29.15": {
          const bits = AsnConvert.parse(value, KeyUsage).toNumber();
          out.keyUsage = USAGE_FLAGS.filter(([, flag]) => (bits & flag) !== 0).map(([name]) => name);
          break;
        }
        case "2.5.29.16": {
          const p = AsnConvert.parse(value, PrivateKeyUsagePeriod);
          out.privateKeyUsagePeriod = { notBefore: p.notBefore ?? null, notAfter: p.notAfter ?? null };
          break;
        }
        case "2.5.29.32":
          out.policies = AsnConvert.parse(value, CertificatePolicies).map((p) => p.policyIdentifier);
          break;
        case EXTENSION_OID.subjectSignTool:
          out.subjectSignTool = utf8Strings(value)[0] ?? "";
          break;
        case EXTENSION_OID.issuerSignTool:
          out.issuerSignTool = utf8Strings(value);
          break;
        case "2.5.29.14":
          out.subjectKeyId = hex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
          break;
        case "2.5.29.35": {
          const id = AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier;
          out.authorityKeyId = id ? hex(id.buffer) : null;
          break;
        }
        case "2.5.29.31":
          for (const dp of AsnConvert.parse(value, CRLDistributionPoints)) {
            for (const name of dp.distributionPoint?.fullName ?? []) {
              const uri = name.uniformResourceIdentifier;
              if (uri && /^https?:\/\//i.test(uri) && !out.crlUrls.includes(uri)) out.crlUrls.push(uri);
            }
          }
          break;
      }
    } catch {
      out.malformed.push(ext.extnID);
    }
  }
  return out;
}

const PEM = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/** The DER bytes of a .cer file in either export format; throws NotACertificateError otherwise. */
export function certificateDer(bytes: Buffer): Buffer {
  if (bytes.length === 0) throw new NotACertificateError("empty");
  if (bytes[0] === 0x30) return bytes; // DER: a SEQUENCE
  const text = bytes.toString("latin1");
  const pem = text.match(PEM);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw new NotACertificateError("private key");
  const body = (pem ? pem[1] : text).replace(/[\r\n\t ]+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new NotACertificateError("not base64");
  const der = Buffer.from(body, "base64");
  if (der.length === 0 || der[0] !== 0x30) throw new NotACertificateError("not DER inside base64");
  return der;
}

/** A directory string of any ASN.1 string type (UTF8, BMP, Printable, Numeric, IA5, Teletex). */
function attributeText(value: unknown): string {
  const v = value as { anyValue?: ArrayBuffer; toString(): string };
  if (v.anyValue) {
    const decoded = asn1js.fromBER(v.anyValue);
    if (decoded.offset === -1) return "";
    const block = decoded.result as unknown as { getValue?: () => string; valueBlock?: { value?: string } };
    if (typeof block.getValue === "function") return String(block.getValue());
    return String(block.valueBlock?.value ?? "");
  }
  return String(v.toString());
}

function nameFields(name: Name): Map<string, string> {
  const out = new Map<string, string>();
  for (const rdn of name) {
    for (const atv of rdn) {
      if (!out.has(atv.type)) out.set(atv.type, attributeText(atv.value).trim());
    }
  }
  return out;
}

function distinguishedName(fields: Map<string, string>): string {
  const short: Record<string, string> = {
    "2.5.4.3": "CN",
    "2.5.4.10": "O",
    "2.5.4.6": "C",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
  };
  return [...fields]
    .filter(([k]) => short[k])
    .map(([k, v]) => `${short[k]}=${v}`)
    .join(", ");
}

/**
 * The holder from SN + GN («Имя Отчество»), as a qualified certificate names a person. Without them the
 * certificate is an organisation's (its CN is a company name, never split into a surname): null.
 */
export function holderOf(subject: ParsedCertificate["subject"]): CertificateHolder | null {
  if (subject.surname && subject.givenName) {
    const [givenName, ...rest] = subject.givenName.trim().split(/\s+/);
    return { surname: subject.surname.trim(), givenName: givenName ?? "", patronymic: rest.join(" ") };
  }
  return null;
}

export function parseCertificate(bytes: Buffer): ParsedCertificate {
  const der = certificateDer(bytes);
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch {
    throw new NotACertificateError("not X.509");
  }
  try {
    const tbs = cert.tbsCertificate;
    const subjectFields = nameFields(tbs.subject);
    const issuerFields = nameFields(tbs.issuer);
    const subject: ParsedCertificate["subject"] = {};
    for (const [key, oid] of Object.entries(OID) as Array<[keyof typeof OID, string]>) {
      const value = subjectFields.get(oid);
      if (value) subject[key] = value;
    }
    const notBefore = tbs.validity.notBefore.getTime();
    const notAfter = tbs.validity.notAfter.getTime();
    if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) throw new Error("bad validity");
    const keyAlgorithmOid = tbs.subjectPublicKeyInfo.algorithm.algorithm;
    // Re-encode to be sure the bytes we hash and keep are exactly one certificate.
    const canonical = Buffer.from(AsnConvert.serialize(cert));
    const subjectHash = nameHash(tbs.subject);
    const issuerHash = nameHash(tbs.issuer);
    return {
      der: canonical,
      subjectHash,
      issuerHash,
      selfIssued: subjectHash === issuerHash,
      subjectName: distinguishedName(subjectFields),
      subjectCommonName: subjectFields.get(OID.commonName) ?? null,
      extensions: readExtensions(tbs.extensions),
      sha1: crypto.createHash("sha1").update(canonical).digest("hex").toUpperCase(),
      sha256: crypto.createHash("sha256").update(canonical).digest("hex").toUpperCase(),
      serial: Buffer.from(tbs.serialNumber).toString("hex").toUpperCase(),
      issuer: distinguishedName(issuerFields),
      issuerCommonName: issuerFields.get(OID.commonName) ?? null,
      subject,
      holder: holderOf(subject),
      notBefore,
      notAfter,
      keyAlgorithmOid,
      keyAlgorithm: KEY_ALGORITHMS[keyAlgorithmOid] ?? "other",
    };
  } catch (error) {
    if (error instanceof NotACertificateError) throw error;
    throw new NotACertificateError("malformed X.509");
  }
}
