import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfField, NewPasswordFields, Notice } from "~/components/forms";
import { checkResetToken, resetPassword } from "~/accounts/password-reset.server";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [
  { title: "Новый пароль — СЭДО-шлюз" },
  { name: "referrer", content: "no-referrer" },
];

const TOKEN_PROBLEM: Record<"unknown" | "used" | "expired", string> = {
  unknown: "Ссылка не найдена. Возможно, она скопирована не полностью.",
  used: "Эта ссылка уже использована.",
  expired: "Срок действия ссылки истёк: она действует 1 час.",
};

export async function loader({ params, context }: LoaderFunctionArgs) {
  const check = await checkResetToken(context.db, context.clock, params.token ?? "");
  return data(
    { problem: check.state === "valid" ? null : TOKEN_PROBLEM[check.state] },
    { status: check.state === "valid" ? 200 : 410 },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const result = await resetPassword(context.db, context.clock, {
    token: params.token ?? "",
    password: field(form, "password"),
    passwordConfirm: field(form, "passwordConfirm"),
    ip: context.ip,
    keepSessionId: context.session?.id,
  });
  if (result.ok) {
    throw redirect(context.session ? "/profile" : "/login", {
      headers: {
        "Set-Cookie": flashCookie("Пароль изменён. Все другие сеансы входа завершены.", context.config.secureCookies),
      },
    });
  }
  if ("token" in result)
    return data({ problem: TOKEN_PROBLEM[result.token], fieldErrors: {} as Record<string, string> }, { status: 410 });
  return data({ problem: null, fieldErrors: result.fieldErrors }, { status: 422 });
}

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problem = result?.problem ?? loaded.problem;
  if (problem) {
    return (
      <>
        <h1>Ссылка недействительна</h1>
        <Notice tone="warning">{problem}</Notice>
        <p>
          <Link className="button" to="/forgot-password">
            Запросить новую ссылку
          </Link>
        </p>
      </>
    );
  }
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      <h1>Новый пароль</h1>
      <Form method="post" noValidate>
        <CsrfField />
        <NewPasswordFields errors={errors} />
      </Form>
    </>
  );
}
