import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { CsrfField, Field, NewPasswordFields } from "~/components/forms";
import { requireSession } from "~/accounts/guards.server";
import { changePassword } from "~/accounts/password-reset.server";
import { flashCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [{ title: "Смена пароля — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireSession(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = requireSession(request, context);
  const form = await readForm(request, context);
  const result = await changePassword(context.db, context.clock, {
    userId: session.user.id,
    sessionId: session.id,
    currentPassword: field(form, "currentPassword"),
    password: field(form, "password"),
    passwordConfirm: field(form, "passwordConfirm"),
    ip: context.ip,
  });
  if (result.ok) {
    throw redirect("/profile", {
      headers: {
        "Set-Cookie": flashCookie("Пароль изменён. Все другие сеансы входа завершены.", context.config.secureCookies),
      },
    });
  }
  return data({ fieldErrors: result.fieldErrors }, { status: 422 });
}

export default function ChangePassword() {
  const result = useActionData<typeof action>();
  const errors = result?.fieldErrors ?? {};
  return (
    <Form method="post" noValidate style={{ maxWidth: "28rem" }}>
      <CsrfField />
      <Field
        name="currentPassword"
        label="Текущий пароль"
        type="password"
        autoComplete="current-password"
        required
        error={errors.currentPassword}
      />
      <NewPasswordFields errors={errors} />
    </Form>
  );
}
