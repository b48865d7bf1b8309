// npm run calendar:import -- FILE [--region 1600] [--draft] [--source "Постановление …"] [--by "Фамилия"]
// Loads a production-calendar year (the common XML format or CSV) for the country or for one subject's branch,
// prints the difference from the year in effect and the deadlines in review it would move (they are not moved).
import fs from "node:fs";
import os from "node:os";
import { openForScript } from "./bootstrap";
import { systemClock } from "../app/clock.server";
import { CalendarFileRefused, importCalendarYear } from "../app/calendar/import.server";
import { formatDate, formatDateTime } from "../app/web/format";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.match(/^--(region|source|by)$/));
if (!file) {
  console.error('Укажите файл: npm run calendar:import -- calendar-2027.xml [--region 1600] [--draft] [--source "…"]');
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`Файл не найден: ${file}`);
  process.exit(2);
}
const { database } = await openForScript();
try {
  const result = await importCalendarYear(database.db, systemClock, fs.readFileSync(file), {
    region: option("region") ?? null,
    draft: args.includes("--draft"),
    source: option("source") ?? `файл ${file}`,
    loadedBy: option("by") ?? os.userInfo().username,
  });
  const days = (list: string[]) => (list.length ? list.map((d) => formatDate(`${d}T12:00:00Z`)).join(", ") : "—");
  console.log(
    `Загружен ${result.year} год${result.region ? ` для отделения ${result.region}` : " (федеральный календарь)"}.`,
  );
  console.log(`Новые нерабочие дни: ${days(result.diff.added)}`);
  console.log(`Больше не нерабочие: ${days(result.diff.removed)}`);
  if (!result.region) {
    console.log(
      `Рабочие выходные добавлены: ${days(result.diff.workingWeekendsAdded)}; убраны: ${days(result.diff.workingWeekendsRemoved)}`,
    );
  }
  if (result.movedDeadlines.length) {
    console.log(
      `Сроки проверки, которые по новому календарю были бы другими (оставлены как были): ${result.movedDeadlines.length}`,
    );
    for (const m of result.movedDeadlines)
      console.log(
        `  заявка ${m.proxyId} (рег. № ${m.regnum}, отделение ${m.officeCode}): ${formatDateTime(m.before)} → ${formatDateTime(m.after)}`,
      );
  } else console.log("Сроки заявок на проверке не меняются.");
} catch (error) {
  if (error instanceof CalendarFileRefused) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await database.close();
}
