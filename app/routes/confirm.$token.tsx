// The link from the confirmation letter: activates the account, or explains why it cannot.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/forms";
import { confirmEmail } from "~/accounts/registration.server";

export const meta: MetaFunction = () => [
  { title: "Подтверждение адреса — СЭДО-шлюз" },
  { name: "referrer", content: "no-referrer" },
];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const result = await confirmEmail(context.db, context.clock, params.token ?? "", context.ip);
  return data({ result }, { status: result === "confirmed" || result === "already-confirmed" ? 200 : 410 });
}

export default function Confirm() {
  const { result } = useLoaderData<typeof loader>();
  if (result === "confirmed" || result === "already-confirmed") {
    return (
      <div className="card card--narrow">
        <h1>Адрес подтверждён</h1>
        <Notice tone="success">
          {result === "confirmed"
            ? "Регистрация завершена: адрес электронной почты подтверждён."
            : "Этот адрес уже был подтверждён раньше."}
        </Notice>
        <p>
          <Link className="button" to="/login">
            Войти
          </Link>
        </p>
      </div>
    );
  }
  const reason =
    result === "used"
      ? "Эта ссылка уже использована. Если вы уже подтвердили адрес, просто войдите."
      : result === "expired"
        ? "Срок действия ссылки истёк: она действует 24 часа."
        : "Ссылка не найдена. Возможно, она скопирована не полностью.";
  return (
    <div className="card card--narrow">
      <h1>Ссылка недействительна</h1>
      <Notice tone="warning">{reason}</Notice>
      <p>Запросите новое письмо со ссылкой для подтверждения адреса.</p>
      <div className="form-actions">
        <Link className="button" to="/resend-confirmation">
          Отправить письмо повторно
        </Link>
        <Link to="/login">Вход</Link>
      </div>
    </div>
  );
}
