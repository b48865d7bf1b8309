// A test PKI made with OpenSSL 3 and Debian's GOST engine: roots, intermediates and people's certificates with
// exact dates and any defect (no qualified extensions, a CA flag, an ended private key period, a forged issuer),
// and revocation lists. Used by the tests and by tests/fixtures/certs/make.ts, which writes the fixtures.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gostOpensslEnv } from "../../app/certificates/gost-openssl.server";

export type KeyKind = "gost2012_256" | "gost2012_512" | "gost2001" | "rsa";

export interface CertSpec {
  id: string;
  /** OpenSSL's -subj form: /C=RU/SN=…/GN=…/CN=… */
  subject: string;
  key?: KeyKind;
  /** YYYYMMDDHHMMSSZ */
  notBefore: string;
  notAfter: string;
  ca?: boolean;
  pathlen?: number;
  /** OpenSSL keyUsage names; null leaves the extension out. */
  keyUsage?: string[] | null;
  /** Certificate policy OIDs; null leaves the extension out. */
  policies?: string[] | null;
  /** The qualified-certificate extensions 1.2.643.100.111 and 1.2.643.100.112 (default: for people, yes). */
  qualified?: boolean;
  /** PrivateKeyUsagePeriod (2.5.29.16); default: the certificate's own term for people, none for CAs. */
  privateKeyUsage?: { notBefore?: string; notAfter?: string } | null;
  crlUrls?: string[];
  /** Leave the authority key identifier out (a forger copying only the issuer's name). */
  noAuthorityKeyId?: boolean;
  stringMask?: "utf8only" | "default";
}

export interface Issued {
  id: string;
  dir: string;
  keyPath: string;
  certPath: string;
  der: Buffer;
  pem: string;
  serial: string;
  key: KeyKind;
  subject: string;
}

const DIGEST: Record<KeyKind, string> = {
  gost2012_256: "md_gost12_256",
  gost2012_512: "md_gost12_512",
  gost2001: "md_gost94",
  rsa: "sha256",
};

export const PROTECTION_CLASS_KC1 = "1.2.643.100.113.1";
export const PROTECTION_CLASS_KC2 = "1.2.643.100.113.2";
const PERSON_KEY_USAGE = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment"];

const utc = (time: string) => time.slice(2); // YYMMDDHHMMSSZ for index.txt and the CRL options

export class TestPki {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.env = { ...process.env, ...gostOpensslEnv() };
  }

  private openssl(args: string[], cwd: string): string {
    return execFileSync("openssl", args, { cwd, env: this.env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  private keyFor(kind: KeyKind, out: string, cwd: string): void {
    const args =
      kind === "rsa"
        ? ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", out]
        : ["genpkey", "-algorithm", kind, "-pkeyopt", "paramset:A", "-out", out];
    this.openssl(args, cwd);
  }

  private extensions(spec: CertSpec, selfSigned: boolean): string {
    const ca = spec.ca ?? false;
    const lines = ["[ext]"];
    lines.push(
      ca
        ? `basicConstraints = critical,CA:TRUE${spec.pathlen !== undefined ? `,pathlen:${spec.pathlen}` : ""}`
        : "basicConstraints = critical,CA:FALSE",
    );
    const keyUsage = spec.keyUsage === undefined ? (ca ? ["keyCertSign", "cRLSign"] : PERSON_KEY_USAGE) : spec.keyUsage;
    if (keyUsage) lines.push(`keyUsage = critical,${keyUsage.join(",")}`);
    if (!ca) lines.push("extendedKeyUsage = clientAuth,emailProtection");
    lines.push("subjectKeyIdentifier = hash");
    // OpenSSL 3 adds an authority key identifier unless told «none».
    lines.push(
      !selfSigned && !spec.noAuthorityKeyId ? "authorityKeyIdentifier = keyid" : "authorityKeyIdentifier = none",
    );
    const policies = spec.policies === undefined ? [PROTECTION_CLASS_KC1, PROTECTION_CLASS_KC2] : spec.policies;
    if (policies) lines.push(`certificatePolicies = ${policies.join(",")}`);
    if (spec.crlUrls?.length) lines.push(`crlDistributionPoints = ${spec.crlUrls.map((u) => `URI:${u}`).join(",")}`);
    if (spec.qualified ?? !ca) {
      lines.push("1.2.643.100.111 = ASN1:FORMAT:UTF8,UTF8String:СКЗИ КриптоПро CSP версия 5.0");
      lines.push("1.2.643.100.112 = ASN1:SEQUENCE:issuer_tools");
    }
    const pkup =
      spec.privateKeyUsage === undefined
        ? ca
          ? null
          : { notBefore: spec.notBefore, notAfter: spec.notAfter }
        : spec.privateKeyUsage;
    if (pkup) lines.push("2.5.29.16 = ASN1:SEQUENCE:pkup");
    if (spec.qualified ?? !ca) {
      lines.push(
        "[issuer_tools]",
        "t1 = FORMAT:UTF8,UTF8String:ПАКМ КриптоПро HSM версии 2.0",
        "t2 = FORMAT:UTF8,UTF8String:ПАК КриптоПро УЦ версии 2.0",
        "t3 = FORMAT:UTF8,UTF8String:Сертификат соответствия СФ/124-0000 от 01.01.2026",
        "t4 = FORMAT:UTF8,UTF8String:Сертификат соответствия СФ/128-0000 от 01.01.2026",
      );
    }
    if (pkup) {
      lines.push("[pkup]");
      if (pkup.notBefore) lines.push(`nb = IMPLICIT:0,GENTIME:${pkup.notBefore}`);
      if (pkup.notAfter) lines.push(`na = IMPLICIT:1,GENTIME:${pkup.notAfter}`);
    }
    return lines.join("\n") + "\n";
  }

  private caConfig(caDir: string, stringMask: string): string {
    return [
      // OpenSSL 3.0 does not know ИНН ЮЛ by name.
      "oid_section = new_oids",
      "[new_oids]",
      "INNLE = 1.2.643.100.4",
      "[ca]",
      "default_ca = test_ca",
      "[test_ca]",
      `dir = ${caDir}`,
      "database = $dir/index.txt",
      "serial = $dir/serial",
      "crlnumber = $dir/crlnumber",
      "new_certs_dir = $dir/issued",
      "certificate = $dir/cert.pem",
      "private_key = $dir/key.pem",
      "policy = anything",
      "unique_subject = no",
      "email_in_dn = yes",
      "copy_extensions = none",
      `string_mask = ${stringMask}`,
      "utf8 = yes",
      "[anything]",
      "commonName = optional",
      "[req]",
      "distinguished_name = dn",
      `string_mask = ${stringMask}`,
      "utf8 = yes",
      "[dn]",
      "",
    ].join("\n");
  }

  private prepareCaDir(id: string): string {
    const caDir = path.join(this.dir, id);
    fs.mkdirSync(path.join(caDir, "issued"), { recursive: true });
    fs.writeFileSync(path.join(caDir, "index.txt"), "");
    fs.writeFileSync(path.join(caDir, "serial"), crypto.randomBytes(15).toString("hex").replace(/^./, "4") + "\n");
    fs.writeFileSync(path.join(caDir, "crlnumber"), "1000\n");
    return caDir;
  }

  private sign(spec: CertSpec, issuer: Issued | null): Issued {
    const key = spec.key ?? "gost2012_256";
    const own = this.prepareCaDir(spec.id);
    const keyPath = path.join(own, "key.pem");
    this.keyFor(key, keyPath, own);
    const mask = spec.stringMask ?? "utf8only";
    const signerDir = issuer ? issuer.dir : own;
    const confPath = path.join(own, "sign.cnf");
    fs.writeFileSync(confPath, this.caConfig(signerDir, mask));
    const csr = path.join(own, "req.pem");
    this.openssl(
      ["req", "-new", "-config", confPath, "-utf8", "-key", keyPath, "-subj", spec.subject, "-out", csr],
      own,
    );
    const extPath = path.join(own, "ext.cnf");
    fs.writeFileSync(extPath, this.extensions(spec, !issuer));
    const certPath = path.join(own, "cert.pem");
    const args = [
      "ca",
      "-batch",
      "-notext",
      "-preserveDN",
      "-utf8",
      "-config",
      confPath,
      "-in",
      csr,
      "-out",
      certPath,
      "-startdate",
      spec.notBefore,
      "-enddate",
      spec.notAfter,
      "-extfile",
      extPath,
      "-extensions",
      "ext",
      "-md",
      DIGEST[issuer ? issuer.key : key],
    ];
    if (!issuer) args.push("-selfsign", "-keyfile", keyPath);
    this.openssl(args, own);
    const pem = fs.readFileSync(certPath, "utf8");
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s+/g, ""), "base64");
    const serial = this.openssl(["x509", "-in", certPath, "-noout", "-serial"], own)
      .trim()
      .replace(/^serial=/, "");
    return { id: spec.id, dir: own, keyPath, certPath, der, pem, serial, key, subject: spec.subject };
  }

  /** A self-signed root (CA unless told otherwise). */
  root(spec: Omit<CertSpec, "ca"> & { ca?: boolean }): Issued {
    return this.sign({ ca: true, ...spec }, null);
  }

  /** A certificate signed by `issuer`. */
  issue(issuer: Issued, spec: CertSpec): Issued {
    return this.sign(spec, issuer);
  }

  /** Marks `cert` revoked by `issuer` at `at` (YYYYMMDDHHMMSSZ); shows in the next crl(). */
  revoke(issuer: Issued, cert: Issued, at: string, reason = "keyCompromise"): void {
    const index = path.join(issuer.dir, "index.txt");
    const lines = fs.readFileSync(index, "utf8").split("\n");
    const updated = lines.map((line) => {
      const cols = line.split("\t");
      if (cols.length < 6 || cols[3].toUpperCase() !== cert.serial.toUpperCase()) return line;
      return ["R", cols[1], `${utc(at)},${reason}`, cols[3], cols[4], cols[5]].join("\t");
    });
    fs.writeFileSync(index, updated.join("\n"));
  }

  /** A detached CMS signature (DER) of `content` with the key of `signer`, as signing software makes it. */
  signCms(signer: Issued, content: Buffer, options: { noCerts?: boolean } = {}): Buffer {
    const dir = path.join(this.dir, `sign-${crypto.randomBytes(4).toString("hex")}`);
    fs.mkdirSync(dir);
    const data = path.join(dir, "content.bin");
    const out = path.join(dir, "signature.der");
    fs.writeFileSync(data, content);
    const args = ["cms", "-sign", "-binary", "-in", data, "-signer", signer.certPath, "-inkey", signer.keyPath];
    args.push("-md", DIGEST[signer.key], "-outform", "DER", "-out", out);
    if (options.noCerts) args.push("-nocerts");
    this.openssl(args, dir);
    return fs.readFileSync(out);
  }

  /** The issuer's revocation list, DER. */
  crl(issuer: Issued, times: { thisUpdate: string; nextUpdate: string }): Buffer {
    const confPath = path.join(issuer.dir, "crl.cnf");
    fs.writeFileSync(confPath, this.caConfig(issuer.dir, "utf8only"));
    const out = path.join(issuer.dir, "crl.pem");
    this.openssl(
      [
        "ca",
        "-gencrl",
        "-config",
        confPath,
        "-crl_lastupdate",
        times.thisUpdate,
        "-crl_nextupdate",
        times.nextUpdate,
        "-md",
        DIGEST[issuer.key],
        "-out",
        out,
      ],
      issuer.dir,
    );
    const pem = fs.readFileSync(out, "utf8");
    return Buffer.from(pem.replace(/-----[A-Z0-9 ]+-----|\s+/g, ""), "base64");
  }
}
