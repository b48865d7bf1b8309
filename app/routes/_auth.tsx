// Layout of the account pages: registration, sign-in, password reset. Signed-in users go to the profile.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { homeOf } from "~/accounts/guards.server";

export async function loader({ context, request }: LoaderFunctionArgs) {
  const path = new URL(request.url).pathname;
  // Setting a new password from a reset link works whether or not someone is signed in.
  if (context.session && !path.startsWith("/reset-password")) throw redirect(homeOf(context.session.user.role));
  return null;
}

export default function AuthLayout() {
  return (
    <div className="card card--narrow">
      <Outlet />
    </div>
  );
}
