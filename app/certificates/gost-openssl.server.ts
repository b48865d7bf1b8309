// Signature checks by OpenSSL 3 with Debian's GOST engine (libengine-gost-openssl), called as a program: ГОСТ Р
// 34.10-2012 (256 and 512 bits, Стрибог) and ГОСТ Р 34.10-2001 (ГОСТ Р 34.11-94) for old roots. No elliptic
// curve code of our own. The engine's configuration is written once per process beside the system's engines.
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** OpenSSL or its GOST engine is not installed: nothing can be verified, so nothing is accepted. */
export class GostUnavailable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "GostUnavailable";
  }
}

const OPENSSL = process.env.OPENSSL_BIN || "openssl";
let cachedEnv: { OPENSSL_CONF: string } | null = null;

function enginesDir(): string {
  const out = execFileSync(OPENSSL, ["version", "-e"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const dir = out.match(/ENGINESDIR:\s*"([^"]+)"/)?.[1];
  if (!dir) throw new GostUnavailable(`openssl version -e did not name the engines folder: ${out.trim()}`);
  return dir;
}

/** The environment that makes `openssl` load the GOST engine; throws GostUnavailable when it cannot. */
export function gostOpensslEnv(): { OPENSSL_CONF: string } {
  if (cachedEnv) return cachedEnv;
  let dir: string;
  try {
    dir = process.env.GOST_ENGINE_DIR || enginesDir();
  } catch (error) {
    if (error instanceof GostUnavailable) throw error;
    throw new GostUnavailable(`openssl is not installed: ${(error as Error).message}`);
  }
  const engine = path.join(dir, "gost.so");
  if (!fs.existsSync(engine)) {
    throw new GostUnavailable(`the GOST engine ${engine} is missing: apt-get install libengine-gost-openssl`);
  }
  const conf = path.join(os.tmpdir(), `sedo-openssl-gost-${process.pid}.cnf`);
  fs.writeFileSync(
    conf,
    [
      "openssl_conf = openssl_def",
      "[openssl_def]",
      "engines = engine_section",
      "[engine_section]",
      "gost = gost_section",
      "[gost_section]",
      "engine_id = gost",
      `dynamic_path = ${engine}`,
      "default_algorithms = ALL",
      "",
    ].join("\n"),
  );
  cachedEnv = { OPENSSL_CONF: conf };
  return cachedEnv;
}

const pem = (der: Buffer, label = "CERTIFICATE") =>
  `-----BEGIN ${label}-----\n${der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END ${label}-----\n`;

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "sedo-verify-"));
  try {
    return await work(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

export type SignatureFailure = {
  ok: false;
  /** OpenSSL's X509_V_ERR code and the depth in the chain (0 = the certificate itself). */
  code: number;
  depth: number;
  text: string;
};
export type SignatureResult = { ok: true } | SignatureFailure;

/**
 * Verifies every signature of `chain` (the certificate first, the self-signed root last), the root's own
 * included, and the structure OpenSSL checks on the way (CA flags, path lengths, key usage of issuers).
 * Validity dates are the caller's: it checks them against its own clock.
 */
export async function verifyChainSignatures(chain: Buffer[]): Promise<SignatureResult> {
  if (chain.length < 2) throw new Error("a chain has at least the certificate and its root");
  const env = { ...process.env, ...gostOpensslEnv() };
  return withTempDir(async (dir) => {
    const root = path.join(dir, "root.pem");
    const cert = path.join(dir, "cert.pem");
    await fs.promises.writeFile(root, pem(chain[chain.length - 1]));
    await fs.promises.writeFile(cert, pem(chain[0]));
    const args = ["verify", "-no_check_time", "-check_ss_sig", "-CAfile", root];
    const middle = chain.slice(1, -1);
    if (middle.length) {
      const untrusted = path.join(dir, "untrusted.pem");
      await fs.promises.writeFile(untrusted, middle.map((d) => pem(d)).join(""));
      args.push("-untrusted", untrusted);
    }
    args.push(cert);
    try {
      const { stdout } = await run(OPENSSL, args, { env, timeout: 15_000 });
      if (/: OK\s*$/.test(stdout)) return { ok: true } as const;
      return { ok: false, code: -1, depth: 0, text: stdout.trim() };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: unknown };
      const output = `${e.stdout ?? ""}\n${e.stderr ?? ""}`;
      const m = output.match(/error (\d+) at (\d+) depth lookup: ([^\n]*)/);
      if (m) return { ok: false, code: Number(m[1]), depth: Number(m[2]), text: m[3].trim() };
      if (typeof e.code === "string") throw new GostUnavailable(`openssl could not run: ${e.code}`);
      return { ok: false, code: -1, depth: 0, text: output.trim().slice(0, 300) };
    }
  });
}

/** Whether `crl` (DER) is signed by the key of `issuer` (DER). */
export async function crlSignedBy(crl: Buffer, issuer: Buffer): Promise<boolean> {
  const env = { ...process.env, ...gostOpensslEnv() };
  return withTempDir(async (dir) => {
    const crlPath = path.join(dir, "list.crl");
    const caPath = path.join(dir, "ca.pem");
    await fs.promises.writeFile(crlPath, crl);
    await fs.promises.writeFile(caPath, pem(issuer));
    try {
      const { stdout, stderr } = await run(
        OPENSSL,
        ["crl", "-inform", "DER", "-in", crlPath, "-CAfile", caPath, "-noout"],
        { env, timeout: 30_000 },
      );
      return /verify OK/.test(`${stdout}\n${stderr}`);
    } catch (error) {
      const e = error as { code?: unknown };
      if (typeof e.code === "string") throw new GostUnavailable(`openssl could not run: ${e.code}`);
      return false;
    }
  });
}

export type CmsVerdict =
  | { ok: true; signers: Buffer[] }
  | { ok: false; reason: "not-cms" | "no-signer-certificate" | "signature-invalid"; text: string };

/** The DER of a detached CMS signature file: DER, PEM («PKCS7»/«CMS») or bare Base64, as registers export it. */
export function cmsDer(bytes: Buffer): Buffer | null {
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  const text = bytes.toString("latin1");
  const pem = text.match(/-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/);
  const body = (pem ? pem[1] : text).replace(/[\r\n\t ]+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return null;
  const der = Buffer.from(body, "base64");
  return der.length > 0 && der[0] === 0x30 ? der : null;
}

/**
 * Verifies a detached CMS signature over `content` with OpenSSL's GOST engine: the signature value only (the
 * signer's certificate chain is the trust checks' business). Returns the signers' certificates, DER.
 */
export async function verifyDetachedCms(content: Buffer, signature: Buffer): Promise<CmsVerdict> {
  const der = cmsDer(signature);
  if (!der) return { ok: false, reason: "not-cms", text: "not DER or Base64" };
  const env = { ...process.env, ...gostOpensslEnv() };
  return withTempDir(async (dir) => {
    const sig = path.join(dir, "signature.der");
    const data = path.join(dir, "content.bin");
    const signers = path.join(dir, "signers.pem");
    await fs.promises.writeFile(sig, der);
    await fs.promises.writeFile(data, content);
    const args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", data, "-noverify"];
    args.push("-signer", signers, "-out", path.join(dir, "out.bin"));
    try {
      await run(OPENSSL, args, { env, timeout: 15_000 });
    } catch (error) {
      const e = error as { stderr?: string; code?: unknown };
      if (typeof e.code === "string") throw new GostUnavailable(`openssl could not run: ${e.code}`);
      const text = (e.stderr ?? "").trim().slice(0, 500);
      if (/signer certificate not found|no signer/i.test(text))
        return { ok: false, reason: "no-signer-certificate", text } as const;
      if (
        /Error reading|not enough data|wrong tag|header too long|asn1|unsupported/i.test(text) &&
        !/digest|signature/i.test(text)
      )
        return { ok: false, reason: "not-cms", text } as const;
      return { ok: false, reason: "signature-invalid", text } as const;
    }
    const pems = (await fs.promises.readFile(signers, "utf8").catch(() => "")).match(
      /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g,
    );
    if (!pems?.length) return { ok: false, reason: "no-signer-certificate", text: "" } as const;
    return {
      ok: true,
      signers: pems.map((p) => Buffer.from(p.replace(/-----[A-Z ]+-----|\s+/g, ""), "base64")),
    } as const;
  });
}
