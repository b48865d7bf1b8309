import { Link, useRouteLoaderData } from "@remix-run/react";

export default function Home() {
  const root = useRouteLoaderData("root") as { user: unknown } | undefined;
  return (
    <section className="hero card">
      <h1>Портал уполномоченных представителей СФР</h1>
      <p>
        Здесь бухгалтеры и аутсорсинговые компании регистрируются как уполномоченные представители организаций,
        загружают сертификат подписи и доверенности и получают подтверждение территориального органа Социального фонда
        России. После подтверждения отчёты 4-ФСС по этим организациям принимаются через СЭДО.
      </p>
      {root?.user ? (
        <p>
          <Link className="button" to="/profile">
            Перейти в профиль
          </Link>
        </p>
      ) : (
        <div className="form-actions">
          <Link className="button" to="/register">
            Регистрация
          </Link>
          <Link className="button button--secondary" to="/login">
            Вход
          </Link>
        </div>
      )}
    </section>
  );
}
