// The POA (the PDF scan, or the МЧД's XML) for the operators of the organisation's territorial office (others: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { ProxyError } from "~/proxies/errors.server";
import { queueOf } from "~/review/context.server";
import { pdfFileResponse, xmlDownloadResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  try {
    const file = await (await queueOf(context, operator)).poaFile(idParam(params.id));
    // An МЧД is XML: only ever downloaded, never rendered as a page.
    return file.kind === "mchd" ? xmlDownloadResponse(file) : pdfFileResponse(file);
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404)
      throw data({ message: "Файл не найден." }, { status: 404 });
    throw error;
  }
}
