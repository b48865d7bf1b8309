// The 4-ФСС file as it was accepted, for the operators of the organisation's territorial office (others: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { reportFileOf } from "~/reports/journal.server";
import { xmlDownloadResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  const file = await reportFileOf(
    context.db,
    context.config.uploadsDir,
    { officeCode: operator.territorialBodyCode, subdivisions: operator.subdivisions },
    idParam(params.id),
  );
  if (!file) throw data({ message: "Файл не найден." }, { status: 404 });
  return xmlDownloadResponse(file);
}
