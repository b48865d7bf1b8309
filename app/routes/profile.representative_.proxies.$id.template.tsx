// «Образец доверенности» for one of the representative's organisations.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { currentCertificate } from "~/certificates/acceptance.server";
import { proxiesOf } from "~/proxies/context.server";
import { poaTemplatePdf } from "~/proxies/poa-template.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { fullName } from "~/web/format";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let proxy;
  try {
    proxy = await proxiesOf(context, user.id).get(idParam(params.id));
  } catch (error) {
    throw proxyErrorData(error);
  }
  const certificate = await currentCertificate(context.db, context.clock, user.id);
  const full = await context.db
    .selectFrom("organizations")
    .select(["ogrn", "full_name"])
    .where("id", "=", proxy.organization_id)
    .executeTakeFirstOrThrow();
  const pdf = await poaTemplatePdf({
    organization: {
      fullName: full.full_name,
      inn: proxy.inn,
      kpp: proxy.kpp,
      ogrn: full.ogrn,
      regnum: proxy.regnum,
      address: proxy.address,
    },
    representative: { fullName: fullName(user), snils: certificate?.snils ?? null, email: user.email },
    validFrom: proxy.valid_from,
    validTo: proxy.valid_to,
  });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="doverennost-${proxy.regnum}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
}
