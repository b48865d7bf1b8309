import fs from "node:fs";
import { parseCertificate } from "./app/certificates/parse.server";
for (const f of ["tests/fixtures/certs/ivanova-gost256.cer","tests/fixtures/certs/ca.cer","tests/fixtures/certs/root.cer","tests/fixtures/certs/bmp-kozlova.cer", "../shared/fixtures/real/certs/ca-kazna-2025.pem","../shared/fixtures/real/certs/ca-mincifry-2022.pem","../shared/fixtures/real/certs/taxcom-ip-2026.cer","../shared/fixtures/real/certs/ca-head-2012.pem"]) {
  const c = parseCertificate(fs.readFileSync(f));
  console.log(f, c.subjectHash.slice(0,8), c.issuerHash.slice(0,8), c.selfIssued, c.holder, JSON.stringify(c.extensions));
}
