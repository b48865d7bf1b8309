// «Образец МЧД»: an unsigned EMCHD_1 draft for this organisation and this representative, as a download.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    const { xml, regnum } = await proxiesOf(context, user.id).mchdDraft(idParam(params.id));
    const name = `образец-мчд-${regnum}.xml`;
    return new Response(xml, {
      headers: {
        "Content-Type": "application/xml; charset=utf-8",
        "Content-Disposition": `attachment; filename="mchd-draft.xml"; filename*=UTF-8''${encodeURIComponent(name)}`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    throw proxyErrorData(error);
  }
}
