// npm run trust:import -- TSL.xml root.cer ca.pem list.crl …   (honours DATABASE_URL like the server)
// Loads the Минцифры list of accredited CAs (XML), CA certificates (.cer/.pem, DER or Base64) and revocation
// lists (.crl), and prints what it added, kept, removed and refused.
import fs from "node:fs";
import { openForScript } from "./bootstrap";
import { systemClock } from "../app/clock.server";
import { formatImportReport, importTrustFiles, TRUST_FILE_MAX_BYTES } from "../app/certificates/trust-list.server";
import { GostUnavailable } from "../app/certificates/gost-openssl.server";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("Укажите файлы: npm run trust:import -- TSL.xml корневой.cer список.crl");
  process.exit(2);
}
for (const f of files) {
  if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
    console.error(`Файл не найден: ${f}`);
    process.exit(2);
  }
  if (fs.statSync(f).size > TRUST_FILE_MAX_BYTES) {
    console.error(`Файл больше ${TRUST_FILE_MAX_BYTES / 1024 / 1024} МБ: ${f}`);
    process.exit(2);
  }
}
const { config, database } = await openForScript();
try {
  const report = await importTrustFiles(
    database.db,
    systemClock,
    files.map((name) => ({ name, bytes: fs.readFileSync(name) })),
    { appUrl: config.appUrl },
  );
  console.log(formatImportReport(report));
  process.exitCode =
    report.counts.refused > 0 && report.counts.added + report.counts.kept + report.counts.restored === 0 ? 1 : 0;
} catch (error) {
  if (error instanceof GostUnavailable) {
    console.error(`Проверка подписей ГОСТ недоступна: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await database.close();
}
