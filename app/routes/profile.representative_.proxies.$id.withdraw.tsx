// «Удалить»: confirm, then withdraw the proxy (its files stay for the record).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError } from "~/components/forms";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";
import { flashCookie } from "~/web/cookies.server";
import { readForm } from "~/web/forms.server";
import { idParam } from "~/web/params";

export const meta: MetaFunction = () => [{ title: "Удаление организации из списка — СЭДО-шлюз" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  try {
    const p = await proxiesOf(context, user.id).get(idParam(params.id));
    return { proxy: { id: p.id, shortName: p.short_name, regnum: p.regnum, status: p.status } };
  } catch (error) {
    throw proxyErrorData(error);
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  await readForm(request, context);
  try {
    await proxiesOf(context, user.id).withdraw(idParam(params.id));
  } catch (error) {
    return proxyErrorData(error);
  }
  throw redirect("/profile/representative", {
    headers: {
      "Set-Cookie": flashCookie("Организация удалена из списка представляемых.", context.config.secureCookies),
    },
  });
}

export default function Withdraw() {
  const { proxy } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h2>Удалить организацию из списка?</h2>
      <p>
        {proxy.shortName}, рег. номер {proxy.regnum}. Доверенность будет отозвана: отчёты по этой организации через вас
        приниматься не будут. Загруженные файлы сохраняются в архиве.
      </p>
      <Form method="post">
        <CsrfField />
        <FormError message={result?.error} />
        <div className="form-actions">
          <button type="submit" className="button button--danger">
            Удалить
          </button>
          <Link to="/profile/representative">Отмена</Link>
        </div>
      </Form>
    </>
  );
}
