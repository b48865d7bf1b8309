// The uploaded POA, for the representative who uploaded it only (anyone else gets 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { pdfFileResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    return pdfFileResponse(await proxiesOf(context, user.id).poaFile(idParam(params.id)));
  } catch (error) {
    throw proxyErrorData(error);
  }
}
