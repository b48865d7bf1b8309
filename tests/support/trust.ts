// The test CA (tests/fixtures/certs: root.cer → ca.cer) put on the trust list the way an administrator loads one.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../../db/index.server";
import type { Clock } from "../../app/clock.server";
import { importTrustFiles } from "../../app/certificates/trust-list.server";

export const CERT_DIR = path.resolve(__dirname, "../fixtures/certs");
export const certFixture = (name: string) => fs.readFileSync(path.join(CERT_DIR, name));

export async function trustTestCa(db: Db, clock: Clock): Promise<void> {
  const report = await importTrustFiles(
    db,
    clock,
    ["root.cer", "ca.cer"].map((name) => ({ name, bytes: certFixture(name) })),
    { appUrl: "http://127.0.0.1" },
  );
  if (report.counts.refused) throw new Error(`the test CA was refused: ${JSON.stringify(report.lines)}`);
}
