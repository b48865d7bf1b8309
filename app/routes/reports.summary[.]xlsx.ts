// «Скачать XLSX» of «Сводка»: every organisation of the representative (no paging), the same filter.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { localDate, MOSCOW } from "~/calendar";
import { summaryQuery } from "~/reports/summary-query";
import { summaryRowsForExport, summaryXlsx } from "~/reports/summary.server";
import { downloadResponse } from "~/web/spreadsheet.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const today = localDate(context.clock.now(), MOSCOW);
  const query = summaryQuery(new URL(request.url).searchParams, today);
  const { year, rows } = await summaryRowsForExport(context.db, user.id, { today, ...query });
  const body = await summaryXlsx(year, rows);
  return downloadResponse(body, "xlsx", `svodka-${year}.xlsx`);
}
