// The МЧД's detached signature (.sig), for the operators of the organisation's branch (others: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { ProxyError } from "~/proxies/errors.server";
import { queueOf } from "~/review/context.server";
import { signatureDownloadResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  try {
    return signatureDownloadResponse(await (await queueOf(context, operator)).mchdSignatureFile(idParam(params.id)));
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404)
      throw data({ message: "Файл не найден." }, { status: 404 });
    throw error;
  }
}
