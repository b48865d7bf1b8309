import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import styles from "~/styles/app.css";
import { CsrfField, Notice } from "~/components/forms";
import { useNonce } from "~/components/nonce";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "СЭДО-шлюз — портал уполномоченных представителей СФР" }];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.session?.user;
  return {
    user: user
      ? { surname: user.surname, givenName: user.givenName, patronymic: user.patronymic, role: user.role }
      : null,
    csrfToken: context.csrfToken,
    flash: context.flash,
    requestId: context.requestId,
  };
}

type RootData = Awaited<ReturnType<typeof loader>>;

function Header({ user }: { user: RootData["user"] }) {
  return (
    <header className="header">
      <div className="header__inner">
        <Link to="/" className="header__brand">
          СЭДО-шлюз
        </Link>
        <nav className="header__nav" aria-label="Основное меню">
          {user ? (
            <>
              <span className="header__user">
                {user.surname} {user.givenName.charAt(0)}.{user.patronymic ? ` ${user.patronymic.charAt(0)}.` : ""}
              </span>
              {user.role === "representative" ? <Link to="/reports">Отчёты</Link> : null}
              {user.role === "operator" ? <Link to="/operator">Заявки на проверку</Link> : null}
              {user.role === "operator" ? <Link to="/operator/reports">Отчёты организаций</Link> : null}
              {user.role === "admin" ? <Link to="/admin/operators">Сотрудники</Link> : null}
              {user.role === "admin" ? <Link to="/admin/certification-authorities">Удостоверяющие центры</Link> : null}
              {user.role === "admin" ? <Link to="/admin/offices">Отделения</Link> : null}
              <Link to="/profile">Профиль</Link>
              <Form method="post" action="/logout">
                <CsrfField />
                <button type="submit" className="link-button">
                  Выйти
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/register">Регистрация</Link>
              <Link to="/login">Вход</Link>
            </>
          )}
        </nav>
      </div>
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData("root") as RootData | undefined;
  return (
    <html lang="ru">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Перейти к содержанию
        </a>
        <Header user={data?.user ?? null} />
        <main className="main" id="main">
          {data?.flash ? <Notice tone="success">{data.flash}</Notice> : null}
          {children}
        </main>
        <footer className="footer">
          СЭДО-шлюз — открытый портал для уполномоченных представителей и территориальных органов СФР
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/** After a submission comes back with errors, focus moves to the first invalid field (or the form's error). */
function useFocusFirstError() {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") submitted.current = true;
    else if (navigation.state === "idle" && submitted.current) {
      submitted.current = false;
      const target = document.querySelector<HTMLElement>('main [aria-invalid="true"], main .alert--error');
      if (!target) return;
      if (!target.matches("input, select, textarea, button")) target.tabIndex = -1;
      target.focus();
    }
  }, [navigation.state]);
}

export default function App() {
  useFocusFirstError();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData("root") as RootData | undefined;
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <div className="card card--narrow">
        <h1>Страница не найдена</h1>
        <p>Такой страницы на портале нет. Проверьте адрес или начните с главной.</p>
        <p>
          <Link to="/">На главную</Link>
        </p>
      </div>
    );
  }
  if (isRouteErrorResponse(error) && error.status < 500) {
    const message =
      (error.data && typeof error.data === "object" && ("message" in error.data || "formError" in error.data)
        ? String(
            (error.data as { message?: string; formError?: string }).message ??
              (error.data as { formError?: string }).formError,
          )
        : null) ?? "Запрос не может быть выполнен.";
    return (
      <div className="card card--narrow">
        <h1>{error.status === 403 ? "Доступ запрещён" : "Запрос не выполнен"}</h1>
        <p>{message}</p>
        <p>
          <Link to="/">На главную</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="card card--narrow">
      <h1>Ошибка на портале</h1>
      <p>
        Что-то пошло не так на нашей стороне. Попробуйте ещё раз через минуту. Если ошибка повторится, сообщите в
        поддержку код обращения.
      </p>
      {data?.requestId ? (
        <p>
          Код обращения: <code>{data.requestId}</code>
        </p>
      ) : null}
      <p>
        <Link to="/">На главную</Link>
      </p>
    </div>
  );
}
