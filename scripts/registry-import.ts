// npm run registry:import -- file.csv   (honours DATABASE_URL like the server)
import fs from "node:fs";
import { openForScript } from "./bootstrap";
import { importRegistry } from "../app/organizations/registry-import.server";
import { refreshRegistryStatistics } from "../app/organizations/registry.server";

const file = process.argv[2];
if (!file) {
  console.error("Укажите файл: npm run registry:import -- реестр.csv");
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`Файл не найден: ${file}`);
  process.exit(2);
}
const { config, database } = await openForScript();
const started = Date.now();
const report = await importRegistry(database.db, fs.createReadStream(file));
if (report.added + report.updated > 0) await refreshRegistryStatistics(database.db, database.kind);
await database.close();

console.log(
  `Прочитано строк: ${report.read}; добавлено: ${report.added}; обновлено: ${report.updated}; отклонено: ${report.refused.length} (${((Date.now() - started) / 1000).toFixed(1)} с)`,
);
const SHOW = 200;
for (const r of report.refused.slice(0, SHOW)) console.log(`  строка ${r.line}: ${r.reason}`);
if (report.refused.length > SHOW) console.log(`  … и ещё ${report.refused.length - SHOW}`);
if (report.fatal) console.error(report.fatal);
process.exit(report.read === 0 || (report.fatal && report.added + report.updated === 0) ? 1 : 0);
