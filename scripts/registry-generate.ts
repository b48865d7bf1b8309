// npm run registry:generate -- --count N [--out file.csv] [--seed S]: a large plausible registry CSV.
import fs from "node:fs";
import { once } from "node:events";
import { generateRegistry } from "../app/organizations/generator";
import { formatSfrRegnum } from "../app/organizations/identifiers";
import { TERRITORIAL_BODIES } from "../db/seed/territorial-bodies";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const count = Number(arg("count") ?? "1000");
const seed = Number(arg("seed") ?? "1");
if (!Number.isInteger(count) || count <= 0) {
  console.error("--count: укажите целое положительное число");
  process.exit(2);
}
const out = arg("out") ? fs.createWriteStream(arg("out")!) : process.stdout;
const quote = (v: string) => (/[;"\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
out.write("regnum;sfr_regnum;inn;kpp;ogrn;full_name;short_name;address\n");
for (const e of generateRegistry(count, TERRITORIAL_BODIES, seed)) {
  const line =
    [e.regnum, formatSfrRegnum(e.sfrRegnum ?? null), e.inn, e.kpp ?? "", e.ogrn, e.fullName, e.shortName, e.address]
      .map(quote)
      .join(";") + "\n";
  if (!out.write(line)) await once(out, "drain");
}
if (out !== process.stdout) out.end();
