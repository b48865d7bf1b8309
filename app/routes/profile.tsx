// Профиль: the signed-in account's pages, as tabs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/accounts/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return { isRepresentative: user.role === "representative" };
}

export default function ProfileLayout() {
  const { isRepresentative } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <h1>Профиль</h1>
      <nav className="tabs" aria-label="Разделы профиля">
        <NavLink to="/profile" end>
          Учётная запись
        </NavLink>
        {isRepresentative ? <NavLink to="/profile/representative">Уполномоченный</NavLink> : null}
        {isRepresentative ? <NavLink to="/profile/api-tokens">API-токены</NavLink> : null}
        <NavLink to="/profile/password">Сменить пароль</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
