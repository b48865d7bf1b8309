import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { CsrfField, Field, FormError, Honeypot, Notice } from "~/components/forms";
import { FieldErrors, RateLimitedError } from "~/accounts/errors.server";
import { resendConfirmation } from "~/accounts/registration.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [{ title: "Повторная отправка письма — СЭДО-шлюз" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = field(form, "email");
  try {
    await resendConfirmation(context.db, context.clock, email, { ip: context.ip, appUrl: context.config.appUrl });
    return { sent: true as const, email, fieldErrors: {} as Record<string, string>, formError: null as string | null };
  } catch (error) {
    if (error instanceof FieldErrors)
      return data({ sent: false as const, email, fieldErrors: error.fieldErrors, formError: null }, { status: 422 });
    if (error instanceof RateLimitedError) {
      return data(
        {
          sent: false as const,
          email,
          fieldErrors: {} as Record<string, string>,
          formError:
            "Письмо на этот адрес уже отправлялось несколько раз за последний час. Подождите час и попробуйте снова, проверьте папку «Спам».",
        },
        { status: 429 },
      );
    }
    throw error;
  }
}

export default function ResendConfirmation() {
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Отправить письмо повторно</h1>
      {result?.sent ? (
        <Notice tone="success">
          Если адрес <strong>{result.email}</strong> зарегистрирован и ещё не подтверждён, мы отправили на него новое
          письмо со ссылкой. Прежние ссылки тоже действуют, пока не истекли.
        </Notice>
      ) : null}
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
        <FormError message={result?.formError} />
        <div className="form-actions">
          <button type="submit" className="button">
            Отправить письмо повторно
          </button>
          <Link to="/login">Вход</Link>
        </div>
      </Form>
    </>
  );
}
