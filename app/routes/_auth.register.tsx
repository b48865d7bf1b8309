import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CsrfField, Field, FormError, Honeypot, Notice, PASSWORD_HINT } from "~/components/forms";
import { FieldErrors } from "~/accounts/errors.server";
import { registerRepresentative } from "~/accounts/registration.server";
import { field, readForm } from "~/web/forms.server";

export const meta: MetaFunction = () => [{ title: "Регистрация — СЭДО-шлюз" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const input = {
    surname: field(form, "surname"),
    givenName: field(form, "givenName"),
    patronymic: field(form, "patronymic"),
    email: field(form, "email"),
    password: field(form, "password"),
    passwordConfirm: field(form, "passwordConfirm"),
  };
  const values = {
    surname: input.surname,
    givenName: input.givenName,
    patronymic: input.patronymic,
    email: input.email,
  };
  try {
    const { email } = await registerRepresentative(context.db, context.clock, input, {
      ip: context.ip,
      appUrl: context.config.appUrl,
    });
    return { sent: true as const, email };
  } catch (error) {
    if (error instanceof FieldErrors)
      return data({ sent: false as const, values, fieldErrors: error.fieldErrors }, { status: 422 });
    throw error;
  }
}

export default function Register() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (result?.sent) {
    return (
      <>
        <h1>Письмо отправлено</h1>
        <Notice tone="success">
          Мы отправили письмо на адрес <strong>{result.email}</strong>. Перейдите по ссылке из письма, чтобы подтвердить
          адрес и завершить регистрацию. Ссылка действует 24 часа.
        </Notice>
        <p>
          Письмо не пришло? Проверьте папку «Спам» или <Link to="/resend-confirmation">отправьте письмо повторно</Link>.
        </p>
      </>
    );
  }
  const errors: Record<string, string> = result?.fieldErrors ?? {};
  const values = result?.values;
  return (
    <>
      <h1>Регистрация</h1>
      <p>Укажите ФИО так же, как в сертификате электронной подписи: позже портал сверит их.</p>
      <Form method="post" noValidate>
        <CsrfField />
        <Honeypot />
        <Field
          name="surname"
          label="Фамилия"
          autoComplete="family-name"
          required
          defaultValue={values?.surname}
          error={errors.surname}
        />
        <Field
          name="givenName"
          label="Имя"
          autoComplete="given-name"
          required
          defaultValue={values?.givenName}
          error={errors.givenName}
        />
        <Field
          name="patronymic"
          label="Отчество"
          autoComplete="additional-name"
          hint="Если отчества нет, оставьте поле пустым."
          defaultValue={values?.patronymic}
          error={errors.patronymic}
        />
        <Field
          name="email"
          label="Электронная почта"
          type="email"
          autoComplete="email"
          required
          defaultValue={values?.email}
          error={errors.email}
        />
        <Field
          name="password"
          label="Пароль"
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_HINT}
          error={errors.password}
        />
        <Field
          name="passwordConfirm"
          label="Повторите пароль"
          type="password"
          autoComplete="new-password"
          required
          error={errors.passwordConfirm}
        />
        <FormError message={errors.form} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Зарегистрироваться
          </button>
          <span>
            Уже зарегистрированы? <Link to="/login">Войти</Link>
          </span>
        </div>
      </Form>
    </>
  );
}
