// «Скачать CSV» of the queue: every proxy of the filter, in the operator's scope (branch, subdivisions).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { queueOf } from "~/review/context.server";
import { queueExportTable, queueFilterOf } from "~/review/office-queue.server";
import { downloadResponse, tableCsv } from "~/web/spreadsheet.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const queue = await queueOf(context, operator);
  const { rows } = await queue.list(queueFilterOf(new URL(request.url).searchParams), { everything: true });
  const table = queueExportTable(rows, queue.timeZone);
  const day = context.clock.now().toISOString().slice(0, 10);
  return downloadResponse(tableCsv(table), "csv", `zayavki-${operator.territorialBodyCode}-${day}.csv`);
}
