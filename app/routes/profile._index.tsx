import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/guards.server";
import { accountProfile } from "~/accounts/profile.server";
import { ROLE_NAMES } from "~/accounts/roles";
import { formatDateTime, fullName } from "~/web/format";

export const meta: MetaFunction = () => [{ title: "Профиль — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return accountProfile(context.db, user.id);
}

export default function Profile() {
  const p = useLoaderData<typeof loader>();
  return (
    <dl className="details">
      <dt>ФИО</dt>
      <dd>{fullName(p)}</dd>
      <dt>Электронная почта</dt>
      <dd>{p.email}</dd>
      <dt>Роль</dt>
      <dd>{ROLE_NAMES[p.role]}</dd>
      <dt>Зарегистрирован</dt>
      <dd>{formatDateTime(p.createdAt)}</dd>
      <dt>Адрес подтверждён</dt>
      <dd>{p.confirmedAt ? formatDateTime(p.confirmedAt) : "нет"}</dd>
      {p.passwordChangedAt ? (
        <>
          <dt>Пароль изменён</dt>
          <dd>{formatDateTime(p.passwordChangedAt)}</dd>
        </>
      ) : null}
      <dt>Предыдущий вход</dt>
      <dd>
        {p.previousSignIn
          ? `${formatDateTime(p.previousSignIn.at)}${p.previousSignIn.ip ? `, IP ${p.previousSignIn.ip}` : ""}`
          : "это первый вход"}
      </dd>
    </dl>
  );
}
