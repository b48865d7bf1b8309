// «Указать срок для выбранных»: one term for the organisations ticked in the list, or for all the list's filter
// selects («Выбрать все N по отбору»). Every one is saved in one transaction; those with a PDF go to review.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, FormError, Notice } from "~/components/forms";
import { TermFields } from "~/components/TermFields";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { outlivesCertificate, proxyErrorData } from "~/proxies/responses.server";
import type { ProxyListFilter } from "~/proxies/representative-proxies.server";
import { FILTERABLE_STATUSES, STATUS_LABELS } from "~/proxies/statuses";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";
import type { ProxyStatus } from "../../db/schema";
import { currentCertificate } from "~/certificates/acceptance.server";

export const meta: MetaFunction = () => [{ title: "Срок действия для выбранных — СЭДО-шлюз" }];

interface Params {
  getAll(name: string): Array<string | File>;
  get(name: string): string | File | null;
}

/** The ticked ids, or the list's filter when «Выбрать все N по отбору» was pressed. */
function choiceOf(params: Params): { ids: number[] } | { filter: ProxyListFilter } {
  const text = (name: string) => {
    const v = params.get(name);
    return typeof v === "string" ? v : "";
  };
  if (text("all") === "1") {
    const status = text("status");
    return {
      filter: {
        status: (FILTERABLE_STATUSES as string[]).includes(status) ? (status as ProxyStatus) : undefined,
        q: text("q"),
        region: text("region"),
      },
    };
  }
  return { ids: params.getAll("id").map((v) => (typeof v === "string" && /^\d{1,12}$/.test(v) ? Number(v) : -1)) };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const params = new URL(request.url).searchParams;
  const choice = choiceOf(params);
  try {
    const selected = await proxiesOf(context, user.id).selection(choice);
    return { selected, choice, problem: null };
  } catch (error) {
    const answer = proxyErrorData(error);
    return { selected: [], choice, problem: answer.data.error };
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const form = await readForm(request, context);
  let result;
  try {
    result = await proxiesOf(context, user.id).setTermMany(
      choiceOf(form),
      field(form, "validFrom"),
      field(form, "validTo"),
    );
  } catch (error) {
    return proxyErrorData(error);
  }
  let message =
    result.submitted > 0
      ? `Срок сохранён для организаций: ${result.saved}. Направлены на проверку (PDF уже загружен): ${result.submitted}.`
      : `Срок сохранён для организаций: ${result.saved}. Загрузите сканы доверенностей — можно пакетом.`;
  message += outlivesCertificate(field(form, "validTo"), await currentCertificate(context.db, context.clock, user.id));
  throw redirect("/profile/representative", {
    headers: { "Set-Cookie": flashCookie(message, context.config.secureCookies) },
  });
}

const SHOWN = 30;

export default function SelectedTerm() {
  const { selected, choice, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = (result?.fieldErrors ?? {}) as Record<string, string>;
  const decided = selected.filter((p) => p.status === "approved" || p.status === "in_review").length;
  return (
    <>
      <h2>Срок действия доверенности для выбранных</h2>
      {problem ? (
        <>
          <FormError message={problem} />
          <p>
            <Link to="/profile/representative">Вернуться к списку организаций</Link>
          </p>
        </>
      ) : (
        <>
          <p>{`Выбрано организаций: ${selected.length}.`}</p>
          <ul aria-label="Выбранные организации">
            {selected.slice(0, SHOWN).map((p) => (
              <li key={p.id}>{`${p.short_name}, рег. номер ${p.regnum} — ${STATUS_LABELS[p.status]}`}</li>
            ))}
          </ul>
          {selected.length > SHOWN ? <p className="muted">{`и ещё ${selected.length - SHOWN}`}</p> : null}
          {decided ? (
            <Notice tone="warning">
              {`У ${decided} из выбранных доверенность уже утверждена или на проверке: после изменения срока она снова уйдёт на проверку, и до нового решения территориального органа отчёты за эти организации не принимаются.`}
            </Notice>
          ) : null}
          <Form method="post" noValidate style={{ maxWidth: "24rem" }}>
            <CsrfField />
            {"ids" in choice ? (
              choice.ids.map((id) => <input key={id} type="hidden" name="id" value={id} />)
            ) : (
              <>
                <input type="hidden" name="all" value="1" />
                <input type="hidden" name="status" value={choice.filter.status ?? ""} />
                <input type="hidden" name="q" value={choice.filter.q ?? ""} />
                <input type="hidden" name="region" value={choice.filter.region ?? ""} />
              </>
            )}
            <TermFields errors={errors} formError={result?.error} />
          </Form>
        </>
      )}
    </>
  );
}
