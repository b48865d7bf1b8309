// The uploaded МЧД (…/mchd/xml) and its signature (…/mchd/sig), for the representative who uploaded them only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { signatureDownloadResponse, xmlDownloadResponse } from "~/web/files.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const part = params.part;
  if (part !== "xml" && part !== "sig") throw data({ message: "Файл не найден." }, { status: 404 });
  try {
    const file = await proxiesOf(context, user.id).mchdFile(idParam(params.id), part === "xml" ? "xml" : "signature");
    return part === "xml" ? xmlDownloadResponse(file) : signatureDownloadResponse(file);
  } catch (error) {
    throw proxyErrorData(error);
  }
}
