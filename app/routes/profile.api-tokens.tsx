// Профиль → API-токены: personal tokens for accounting software; a new token is shown once.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, Field, Notice } from "~/components/forms";
import { requireRepresentative } from "~/accounts/guards.server";
import { ApiTokenError, apiTokensOf, createApiToken, revokeApiToken } from "~/api/tokens.server";
import { field, readForm } from "~/web/forms.server";
import { formatDateTime } from "~/web/format";
import { idParam } from "~/web/params";

export const meta: MetaFunction = () => [{ title: "API-токены — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  return { tokens: await apiTokensOf(context.db, user.id), apiUrl: `${context.config.appUrl}/api/v1` };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const form = await readForm(request, context);
  try {
    if (field(form, "intent") === "revoke") {
      await revokeApiToken(context.db, context.clock, user.id, idParam(field(form, "tokenId")), context.ip);
      return { created: null, message: "Токен отозван: запросы с ним больше не принимаются.", error: null };
    }
    const { token } = await createApiToken(context.db, context.clock, user.id, field(form, "name"), context.ip);
    return { created: token, message: null, error: null };
  } catch (error) {
    if (error instanceof ApiTokenError)
      return data({ created: null, message: null, error: error.message }, { status: error.status });
    throw error;
  }
}

export default function ApiTokens() {
  const { tokens, apiUrl } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h2>API-токены</h2>
      <p>
        Токен позволяет бухгалтерской программе получать список ваших организаций со статусами доверенностей:{" "}
        <code>GET {apiUrl}/proxies</code> с заголовком <code>Authorization: Bearer &lt;токен&gt;</code>. Описание API —
        в README проекта и в файле docs/openapi.yaml.
      </p>
      {result?.created ? (
        <Notice tone="success">
          <p>Токен создан. Скопируйте его сейчас: больше он показан не будет.</p>
          <p>
            <code data-testid="new-token">{result.created}</code>
          </p>
        </Notice>
      ) : null}
      {result?.message ? <Notice tone="info">{result.message}</Notice> : null}
      <Form method="post" noValidate className="filters">
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        <Field
          name="name"
          label="Название токена"
          placeholder="Например, 1С: Зарплата и кадры"
          error={result?.error ?? undefined}
        />
        <button type="submit" className="button">
          Создать токен
        </button>
      </Form>
      {tokens.length ? (
        <table className="grid" tabIndex={0} aria-label="Токены">
          <thead>
            <tr>
              <th scope="col">Название</th>
              <th scope="col">Начало токена</th>
              <th scope="col">Создан</th>
              <th scope="col">Последнее использование</th>
              <th scope="col">Состояние</th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{formatDateTime(t.created_at)}</td>
                <td>{t.last_used_at ? formatDateTime(t.last_used_at) : "не использовался"}</td>
                <td>
                  {t.revoked_at ? (
                    `отозван ${formatDateTime(t.revoked_at)}`
                  ) : (
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="tokenId" value={t.id} />
                      <button
                        type="submit"
                        className="button button--danger button--small"
                        aria-label={`Отозвать токен «${t.name}»`}
                      >
                        Отозвать
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
