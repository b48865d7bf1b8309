// «Редактировать срок действия»: Действует с / Действует по.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, Notice } from "~/components/forms";
import { TermFields } from "~/components/TermFields";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { outlivesCertificate, proxyErrorData } from "~/proxies/responses.server";
import { STATUS_LABELS } from "~/proxies/statuses";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";
import { idParam } from "~/web/params";
import { formatDate } from "~/web/format";
import { currentCertificate } from "~/certificates/acceptance.server";

export const meta: MetaFunction = () => [{ title: "Срок действия доверенности — СЭДО-шлюз" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    const p = await proxiesOf(context, user.id).get(idParam(params.id));
    return {
      proxy: {
        id: p.id,
        status: p.status,
        validFrom: p.valid_from,
        validTo: p.valid_to,
        shortName: p.short_name,
        certificateNotAfter: (await currentCertificate(context.db, context.clock, user.id))?.notAfter ?? null,
        regnum: p.regnum,
      },
    };
  } catch (error) {
    throw proxyErrorData(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const form = await readForm(request, context);
  let status: string;
  try {
    ({ status } = await proxiesOf(context, user.id).setTerm(
      idParam(params.id),
      field(form, "validFrom"),
      field(form, "validTo"),
    ));
  } catch (error) {
    return proxyErrorData(error);
  }
  const message =
    (status === "in_review"
      ? "Срок сохранён. Доверенность направлена на проверку в территориальный орган."
      : "Срок действия сохранён. Загрузите скан доверенности.") +
    outlivesCertificate(field(form, "validTo"), await currentCertificate(context.db, context.clock, user.id));
  throw redirect("/profile/representative", {
    headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
  });
}

export default function Term() {
  const { proxy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  return (
    <>
      <h2>Срок действия доверенности</h2>
      <p>
        {proxy.shortName}, рег. номер {proxy.regnum}
      </p>
      {proxy.status === "approved" ? (
        <Notice tone="warning">
          {`Доверенность утверждена. После изменения срока она снова уйдёт на проверку в территориальный орган. До его решения отчёты принимаются только в пределах утверждённого срока (с ${formatDate(proxy.validFrom + "T12:00:00Z")} по ${formatDate(proxy.validTo + "T12:00:00Z")}) и только в те дни, которые покрывает и новый срок; если орган отклонит изменение, отчёты за организацию приниматься не будут.`}
        </Notice>
      ) : proxy.status === "rejected" || proxy.status === "in_review" ? (
        <Notice tone="warning">
          Сейчас статус «{STATUS_LABELS[proxy.status]}». После изменения срока доверенность снова уйдёт на проверку в
          территориальный орган.
        </Notice>
      ) : null}
      {proxy.certificateNotAfter ? (
        <p className="muted">
          {`Ваш сертификат подписи действует по ${formatDate(proxy.certificateNotAfter)}: если доверенность действует дольше, после этой даты для отчётов понадобится новый сертификат.`}
        </p>
      ) : null}
      <Form method="post" noValidate style={{ maxWidth: "24rem" }}>
        <CsrfField />
        <TermFields
          errors={errors}
          formError={result?.error}
          validFrom={proxy.validFrom ?? ""}
          validTo={proxy.validTo ?? ""}
        />
      </Form>
    </>
  );
}
