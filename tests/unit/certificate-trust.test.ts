// The trust checks alone: each rule of the qualified profile, chain building over an in-memory trust list, the
// GOST signature checks by OpenSSL's engine (good and tampered, 2012-256/512 and 2001), the Минцифры list reader,
// and revocation lists (reading, the signature, the entries).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, type ParsedCertificate } from "../../app/certificates/parse.server";
import {
  firstProfileRefusal,
  hasProtectionClassPolicy,
  hasQualifiedExtensions,
  heldByPerson,
  keyUsageAllowsSignature,
  notCaCertificate,
  privateKeyUsagePeriodCoversToday,
  PROFILE_CHECKS,
} from "../../app/certificates/rules.server";
import { buildChain, type TrustedCa } from "../../app/certificates/trust.server";
import { crlSignedBy, verifyChainSignatures } from "../../app/certificates/gost-openssl.server";
import { parseCrl } from "../../app/certificates/revocation.server";
import { classifyTrustFile, parseTsl } from "../../app/certificates/trust-list.server";
import { HOLDER, makeScenario, type Scenario } from "../support/pki-scenario";
import type { Issued } from "../support/pki";
import { tslXml } from "../support/tsl";

const NOW = new Date("2026-11-23T09:00:00Z");
const REAL = path.resolve(__dirname, "../fixtures/real");
let s: Scenario;
const parsed = (i: Issued): ParsedCertificate => parseCertificate(i.der);

function trusted(i: Issued, id: number, extra: Partial<TrustedCa> = {}): TrustedCa {
  const c = parsed(i);
  return {
    id,
    sha1: c.sha1,
    subject_hash: c.subjectHash,
    issuer_hash: c.issuerHash,
    subject_key_id: c.extensions.subjectKeyId,
    authority_key_id: c.extensions.authorityKeyId,
    serial: c.serial,
    name: c.subjectCommonName ?? "",
    self_signed: c.selfIssued ? 1 : 0,
    not_before: c.notBefore.toISOString(),
    not_after: c.notAfter.toISOString(),
    der: c.der,
    status: "active",
    removed_reason: null,
    removed_at: null,
    test: 0,
    ...extra,
  };
}
const finder = (list: TrustedCa[]) => async (hash: string) => list.filter((c) => c.subject_hash === hash);
const member = (i: Issued) => {
  const c = parsed(i);
  return {
    issuerHash: c.issuerHash,
    authorityKeyId: c.extensions.authorityKeyId,
    issuerName: c.issuerCommonName ?? "",
  };
};

beforeAll(() => {
  s = makeScenario();
}, 60_000);

describe("the qualified profile, rule by rule", () => {
  const subject = (i: Issued) => ({ cert: parsed(i), account: HOLDER, now: NOW });
  it("passes a good certificate through every check", () => {
    expect(firstProfileRefusal(subject(s.people.good))).toBeNull();
    expect(firstProfileRefusal(subject(s.people.good512))).toBeNull();
    expect(PROFILE_CHECKS.map((c) => c.name)).toEqual([
      "ca-certificate",
      "not-gost",
      "not-a-person",
      "not-yet-valid",
      "expired",
      "private-key-period",
      "key-usage",
      "not-qualified",
      "no-protection-class",
      "holder-mismatch",
    ]);
  });
  it("notCaCertificate: a CA certificate (basicConstraints CA) is not a person's", () => {
    expect(notCaCertificate.check(subject(s.people.caFlag))).toContain("Это сертификат удостоверяющего центра");
    expect(notCaCertificate.check(subject(s.ca))).toContain("«УЦ сценария»");
    expect(notCaCertificate.check(subject(s.people.good))).toBeNull();
  });
  it("keyUsageAllowsSignature: keyUsage without digitalSignature is refused", () => {
    expect(keyUsageAllowsSignature.check(subject(s.people.noSignatureUsage))).toContain(
      "не включает электронную подпись",
    );
    expect(keyUsageAllowsSignature.check(subject(s.people.good))).toBeNull();
  });
  it("privateKeyUsagePeriodCoversToday: the key's own period (2.5.29.16) ended though the certificate runs", () => {
    const message = privateKeyUsagePeriodCoversToday.check(subject(s.people.privateKeyEnded));
    expect(message).toBe(
      "Срок действия закрытого ключа истёк 01.11.2026: подписывать им отчёты больше нельзя, хотя сам сертификат действует до 01.10.2027. Получите новый сертификат в удостоверяющем центре.",
    );
    expect(privateKeyUsagePeriodCoversToday.check(subject(s.people.good))).toBeNull();
  });
  it("hasQualifiedExtensions: without 1.2.643.100.111/112 it is not a qualified certificate", () => {
    const message = hasQualifiedExtensions.check(subject(s.people.noQualified));
    expect(message).toContain("1.2.643.100.111");
    expect(message).toContain("1.2.643.100.112");
    expect(hasQualifiedExtensions.check(subject(s.people.good))).toBeNull();
  });
  it("hasProtectionClassPolicy: a policy of a protection class (КС1…) is required", () => {
    expect(hasProtectionClassPolicy.check(subject(s.people.noPolicy))).toContain("класс средства электронной подписи");
    expect(hasProtectionClassPolicy.check(subject(s.people.good))).toBeNull();
  });
  it("heldByPerson: real organisation certificates without SN/GN name the organisation", () => {
    expect(heldByPerson.check(subject(s.people.good))).toBeNull();
    const fns = parseCertificate(fs.readFileSync(path.join(REAL, "certs/fns-ip-2023.pem")));
    expect(fns.holder).toEqual({ surname: "СКАКУН", givenName: "АЛЕКСЕЙ", patronymic: "" });
  });
  it("reads the profile of real accredited certificates", () => {
    const taxcom = parseCertificate(fs.readFileSync(path.join(REAL, "certs/taxcom-ip-2026.cer")));
    expect(taxcom.extensions.subjectSignTool).toBe('"КриптоПро CSP"');
    expect(taxcom.extensions.issuerSignTool).toHaveLength(4);
    expect(taxcom.extensions.policies).toContain("1.2.643.100.113.1");
    expect(taxcom.extensions.keyUsage).toContain("digitalSignature");
    expect(taxcom.extensions.ca).toBe(false);
    const kazna = parseCertificate(fs.readFileSync(path.join(REAL, "certs/ca-kazna-2025.pem")));
    expect(kazna.extensions.ca).toBe(true);
    expect(
      firstProfileRefusal({ cert: kazna, account: HOLDER, now: NOW })?.name,
      "a real CA certificate uploaded as a person's",
    ).toBe("ca-certificate");
  });
});

describe("buildChain", () => {
  it("builds certificate → issuing CA → root", async () => {
    const list = [trusted(s.root, 1), trusted(s.ca, 2)];
    const r = await buildChain(member(s.people.good), finder(list), NOW);
    expect(r.kind).toBe("built");
    if (r.kind === "built") expect(r.links.map((l) => l.id)).toEqual([2, 1]);
  });
  it("names the missing issuer: the certificate's own, or the one above a CA on the list", async () => {
    const none = await buildChain(member(s.people.good), finder([trusted(s.root, 1)]), NOW);
    expect(none).toMatchObject({ kind: "issuer-missing", missing: "УЦ сценария", below: [] });
    const noRoot = await buildChain(member(s.people.good), finder([trusted(s.ca, 2)]), NOW);
    expect(noRoot.kind).toBe("issuer-missing");
    if (noRoot.kind === "issuer-missing") {
      expect(noRoot.missing).toBe("Корневой УЦ сценария");
      expect(noRoot.below.map((l) => l.id)).toEqual([2]);
    }
  });
  it("follows the authority key identifier when CAs share a name, and falls back to the name without one", async () => {
    const list = [trusted(s.root, 1), trusted(s.ca, 2)];
    // The forger's CA has the same name but another key: the genuine certificate never picks it.
    const forgerCa = trusted(s.people.forged, 3); // any certificate; only its key id matters here
    const withForger = [
      ...list,
      { ...trusted(s.ca, 4), sha1: "F".repeat(40), subject_key_id: forgerCa.subject_key_id },
    ];
    const r = await buildChain(member(s.people.good), finder(withForger), NOW);
    expect(r.kind === "built" && r.links[0].id).toBe(2);
    // A forged certificate without a key id is matched by name: the signature check is what refuses it.
    const forged = await buildChain(member(s.people.forged), finder(list), NOW);
    expect(forged.kind === "built" && forged.links[0].id).toBe(2);
  });
  it("prefers a CA on the list and valid today over a removed or expired one of the same name", async () => {
    const removed = trusted(s.ca, 5, { status: "removed", sha1: "A".repeat(40) });
    const list = [trusted(s.root, 1), removed, trusted(s.ca, 2)];
    const r = await buildChain(member(s.people.good), finder(list), NOW);
    expect(r.kind === "built" && r.links[0].id).toBe(2);
  });
  it("stops on a loop", async () => {
    const a = trusted(s.ca, 2, { self_signed: 0 });
    const loop = { ...a, issuer_hash: a.subject_hash };
    const r = await buildChain(member(s.people.good), finder([loop]), NOW);
    expect(r.kind).toBe("issuer-missing");
  });
});

describe("GOST signatures through OpenSSL's engine", () => {
  it("verifies a 2012-256 certificate under a 2012-256 CA under a 2012-512 root", async () => {
    expect(await verifyChainSignatures([s.people.good.der, s.ca.der, s.root.der])).toEqual({ ok: true });
    expect(await verifyChainSignatures([s.people.good512.der, s.ca.der, s.root.der])).toEqual({ ok: true });
  });
  it("verifies a chain under an old ГОСТ Р 34.10-2001 root", async () => {
    expect(await verifyChainSignatures([s.people.underOldRoot.der, s.oldCa.der, s.oldRoot.der])).toEqual({ ok: true });
  });
  it("verifies the real Минцифры chain: Казначейство, Контур and Такском under the 2022 root; the 2001 Головной УЦ", async () => {
    const pem = (f: string) => parseCertificate(fs.readFileSync(path.join(REAL, "certs", f))).der;
    for (const ca of ["ca-kazna-2025.pem", "ca-kontur-2025.pem", "ca-taxcom-2025.pem"]) {
      expect(await verifyChainSignatures([pem(ca), pem("ca-mincifry-2022.pem")]), ca).toEqual({ ok: true });
    }
    const wrongRoot = await verifyChainSignatures([pem("ca-kazna-2025.pem"), pem("ca-mincifry-2025.pem")]);
    expect(wrongRoot.ok).toBe(false);
  });
  it("refuses a tampered certificate (one byte of its name changed) at depth 0", async () => {
    const tampered = Buffer.from(s.people.good.der);
    const at = tampered.indexOf(Buffer.from("Кузнецова"));
    tampered[at + 1] ^= 0x01; // «К» becomes another letter; the length stays
    expect(await verifyChainSignatures([tampered, s.ca.der, s.root.der])).toMatchObject({
      ok: false,
      code: 7,
      depth: 0,
    });
  });
  it("refuses a certificate signed by a forger under the CA's name", async () => {
    expect(await verifyChainSignatures([s.people.forged.der, s.ca.der, s.root.der])).toMatchObject({
      ok: false,
      code: 7,
      depth: 0,
    });
  });
  it("refuses a tampered CA certificate at depth 1 and a tampered root's self-signature", async () => {
    const ca = Buffer.from(s.ca.der);
    ca[ca.indexOf(Buffer.from("360101000000Z")) + 1] ^= 0x01; // its term now ends in 2037
    expect(await verifyChainSignatures([s.people.good.der, ca, s.root.der])).toMatchObject({
      ok: false,
      code: 7,
      depth: 1,
    });
    const root = Buffer.from(s.root.der);
    root[root.length - 5] ^= 0x01; // in the signature value
    const r = await verifyChainSignatures([s.people.good.der, s.ca.der, root]);
    expect(r).toMatchObject({ ok: false, code: 7, depth: 2 });
  });
});

describe("revocation lists", () => {
  it("reads the entries with their dates and reasons, and checks the list's signature", async () => {
    s.pki.revoke(s.ca, s.people.revoked, "20261120100000Z", "keyCompromise");
    const der = s.pki.crl(s.ca, { thisUpdate: "20261121000000Z", nextUpdate: "20261221000000Z" });
    const crl = parseCrl(der);
    expect(crl.issuerName).toBe("УЦ сценария");
    expect(crl.issuerHash).toBe(parsed(s.people.good).issuerHash);
    expect(crl.entries).toEqual([
      { serial: parsed(s.people.revoked).serial, revokedAt: new Date("2026-11-20T10:00:00Z"), reason: "keyCompromise" },
    ]);
    expect(crl.thisUpdate.toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(crl.nextUpdate?.toISOString()).toBe("2026-12-21T00:00:00.000Z");
    expect(crl.number).toBe("1000"); // OpenSSL's crlnumber file started at hex 1000
    expect(await crlSignedBy(der, s.ca.der)).toBe(true);
    expect(await crlSignedBy(der, s.root.der)).toBe(false);
    const tampered = Buffer.from(der);
    tampered[tampered.length - 3] ^= 0x01;
    expect(await crlSignedBy(tampered, s.ca.der)).toBe(false);
    const pem = `-----BEGIN X509 CRL-----\n${der.toString("base64")}\n-----END X509 CRL-----\n`;
    expect(parseCrl(Buffer.from(pem)).sha256).toBe(crl.sha256);
    expect(classifyTrustFile(der).kind).toBe("crl");
    expect(classifyTrustFile(Buffer.from(pem)).kind).toBe("crl");
  });
});

describe("the Минцифры list of accredited CAs", () => {
  it("reads versions, CAs, their status, CRL addresses and certificates as a stream", () => {
    const xml = tslXml(1234, [
      { name: "АО «Тест»", status: "Действует", certs: [s.ca.der], crl: "http://crl.example/ca.crl" },
      { name: "ООО «Бывший»", status: "Прекращена", certs: [s.expiredCa.der] },
    ]);
    const tsl = parseTsl(Buffer.from(xml));
    expect(tsl.version).toBe(1234);
    expect(tsl.cas.map((c) => [c.name, c.status, c.certificates.length, c.crlUrls])).toEqual([
      ["АО «Тест»", "Действует", 1, ["http://crl.example/ca.crl"]],
      ["ООО «Бывший»", "Прекращена", 1, []],
    ]);
    expect(Buffer.from(tsl.cas[0].certificates[0].base64, "base64").equals(s.ca.der)).toBe(true);
    expect(classifyTrustFile(Buffer.from(xml)).kind).toBe("tsl");
  });
  it("refuses a DOCTYPE, another root and a broken file with a message", () => {
    expect(() => parseTsl(Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'))).toThrow(/DOCTYPE/);
    expect(() => parseTsl(Buffer.from("<ЭДСФР/>"))).toThrow(/корневой элемент «ЭДСФР»/);
    expect(() => parseTsl(Buffer.from("<АккредитованныеУдостоверяющиеЦентры><Версия>1"))).toThrow(/повреждён/);
  });
});
