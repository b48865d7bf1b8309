import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { CsrfField, Field, Honeypot, Notice } from "~/components/forms";
import { FieldErrors } from "~/accounts/errors.server";
import { requestPasswordReset } from "~/accounts/password-reset.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [{ title: "Восстановление пароля — СЭДО-шлюз" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = field(form, "email");
  try {
    await requestPasswordReset(context.db, context.clock, email, { ip: context.ip, appUrl: context.config.appUrl });
    return { sent: true as const, email, fieldErrors: {} as Record<string, string> };
  } catch (error) {
    if (error instanceof FieldErrors)
      return data({ sent: false as const, email, fieldErrors: error.fieldErrors }, { status: 422 });
    throw error;
  }
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Восстановление пароля</h1>
      {result?.sent ? (
        <Notice tone="success">
          Если адрес <strong>{result.email}</strong> зарегистрирован на портале, мы отправили на него письмо со ссылкой
          для восстановления пароля. Ссылка действует 1 час.
        </Notice>
      ) : (
        <p>Укажите адрес, с которым вы регистрировались: мы пришлём ссылку, чтобы задать новый пароль.</p>
      )}
      <Form method="post" noValidate>
        <CsrfField />
        <Honeypot />
        <Field
          name="email"
          label="Электронная почта"
          type="email"
          autoComplete="email"
          required
          defaultValue={result?.email}
          error={result?.fieldErrors.email}
        />
        <div className="form-actions">
          <button type="submit" className="button">
            Отправить ссылку
          </button>
          <Link to="/login">Вход</Link>
        </div>
      </Form>
    </>
  );
}
