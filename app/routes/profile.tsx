// Профиль: the signed-in account's pages, as tabs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUser } from "~/accounts/guards.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return null;
}

export default function ProfileLayout() {
  return (
    <div className="card">
      <h1>Профиль</h1>
      <nav className="tabs" aria-label="Разделы профиля">
        <NavLink to="/profile" end>
          Учётная запись
        </NavLink>
        <NavLink to="/profile/password">Сменить пароль</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
