// «Скачать XLSX» of the queue: every proxy of the filter, in the operator's scope (branch, subdivisions).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { queueOf } from "~/review/context.server";
import { queueExportTable, queueFilterOf } from "~/review/office-queue.server";
import { downloadResponse, tableXlsx } from "~/web/spreadsheet.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const queue = await queueOf(context, operator);
  const { rows } = await queue.list(queueFilterOf(new URL(request.url).searchParams), { everything: true });
  const table = queueExportTable(rows, queue.timeZone);
  const day = context.clock.now().toISOString().slice(0, 10);
  return downloadResponse(
    await tableXlsx("Заявки", table, {
      widths: [17, 17, 10, 30, 28, 40, 13, 8, 13, 24, 9, 13],
      textColumns: [7, 8, 9],
    }),
    "xlsx",
    `zayavki-${operator.territorialBodyCode}-${day}.xlsx`,
  );
}
