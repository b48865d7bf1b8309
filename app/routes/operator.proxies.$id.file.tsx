// The POA PDF for the operators of the organisation's territorial office (others: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { ProxyError } from "~/proxies/errors.server";
import { queueOf } from "~/review/context.server";
import { pdfFileResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  try {
    return pdfFileResponse(await (await queueOf(context, operator)).poaFile(idParam(params.id)));
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404)
      throw data({ message: "Файл не найден." }, { status: 404 });
    throw error;
  }
}
