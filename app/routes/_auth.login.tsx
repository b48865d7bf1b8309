import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfField, Field, FormError, Honeypot, Notice } from "~/components/forms";
import { homeOf, safeRedirectTarget } from "~/accounts/guards.server";
import { signIn } from "~/accounts/sign-in.server";
import { sessionCookie } from "~/web/cookies.server";
import { field, readForm } from "~/web/forms.server";
import { formatTime } from "~/web/format";

export const meta: MetaFunction = () => [{ title: "Вход — СЭДО-шлюз" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const requested = url.searchParams.get("redirectTo");
  return {
    redirectTo: requested ? safeRedirectTarget(requested, context.config.appUrl) : "",
    expired: url.searchParams.get("expired") === "1",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request, context);
  const email = field(form, "email");
  const password = field(form, "password");
  const requested = field(form, "redirectTo");
  if (!email.trim() || !password) {
    return data(
      {
        email,
        formError: null as string | null,
        unconfirmedEmail: null as string | null,
        fieldErrors: {
          ...(email.trim() ? {} : { email: "Укажите адрес электронной почты." }),
          ...(password ? {} : { password: "Укажите пароль." }),
        } as Record<string, string>,
      },
      { status: 422 },
    );
  }
  const result = await signIn(context.db, context.clock, {
    email,
    password,
    ip: context.ip,
    userAgent: context.userAgent,
    previousSessionToken: context.sessionToken,
  });
  const reply = (status: number, formError: string, unconfirmedEmail: string | null = null) =>
    data({ email, formError, unconfirmedEmail, fieldErrors: {} as Record<string, string> }, { status });
  switch (result.outcome) {
    case "signed-in":
      throw redirect(
        requested ? safeRedirectTarget(requested, context.config.appUrl, homeOf(result.role)) : homeOf(result.role),
        {
          headers: { "Set-Cookie": sessionCookie(result.sessionToken, context.config.secureCookies) },
        },
      );
    case "invalid":
      // The same words whether or not the address has an account (nobody learns which addresses are registered):
      // the lock is announced before the attempt that would set it.
      return reply(
        401,
        "Неверный адрес электронной почты или пароль. После трёх неверных паролей подряд вход блокируется на 15 минут — если не помните пароль, воспользуйтесь «Забыли пароль?».",
      );
    case "locked":
      return reply(
        423,
        result.lockedUntil
          ? `Вход заблокирован на 15 минут после трёх неверных паролей подряд — до ${formatTime(result.lockedUntil)} (МСК). ` +
              "Подождите или восстановите пароль через «Забыли пароль?»."
          : "Учётная запись заблокирована. Обратитесь в поддержку портала.",
      );
    case "unconfirmed":
      return reply(
        403,
        "Адрес электронной почты ещё не подтверждён. Перейдите по ссылке из письма, которое мы отправили при регистрации, или отправьте письмо повторно.",
        result.email,
      );
    case "rate-limited":
      return reply(429, "Слишком много попыток входа с вашего адреса. Подождите 15 минут и попробуйте снова.");
  }
}

export default function Login() {
  const { redirectTo, expired } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.fieldErrors ?? {};
  return (
    <>
      <h1>Вход</h1>
      {expired ? <Notice tone="warning">Сеанс завершён из-за отсутствия активности. Войдите снова.</Notice> : null}
      <Form method="post" noValidate>
        <CsrfField />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          name="email"
          label="Электронная почта"
          type="email"
          autoComplete="username"
          required
          defaultValue={result?.email}
          error={errors.email}
        />
        <Field
          name="password"
          label="Пароль"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <FormError message={result?.formError} />
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            Войти
          </button>
          <Link to="/forgot-password">Забыли пароль?</Link>
        </div>
      </Form>
      {result?.unconfirmedEmail ? (
        <Form method="post" action="/resend-confirmation" className="form-actions">
          <CsrfField />
          <input type="hidden" name="email" value={result.unconfirmedEmail} />
          <button type="submit" className="button button--secondary">
            Отправить письмо повторно
          </button>
        </Form>
      ) : null}
      <p>
        Нет учётной записи? <Link to="/register">Зарегистрируйтесь</Link>.
      </p>
    </>
  );
}
