// Guards that throw: a loader starts with `requireUser(...)` and cannot forget the check.
import { data, redirect } from "@remix-run/node";
import type { AppContext } from "../web/context.server";
import type { ActiveSession, SessionUser } from "./sessions.server";

export function requireSession(request: Request, context: AppContext): ActiveSession {
  if (!context.session) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}${context.sessionEnded ? "&expired=1" : ""}`);
  }
  return context.session;
}

export function requireUser(request: Request, context: AppContext): SessionUser {
  return requireSession(request, context).user;
}

export function requireRepresentative(request: Request, context: AppContext): SessionUser {
  const user = requireUser(request, context);
  if (user.role !== "representative") {
    throw data({ message: "Этот раздел доступен только уполномоченным представителям." }, { status: 403 });
  }
  return user;
}

/** Where to go after sign-in: only a path on this portal, never another site. */
export function safeRedirectTarget(value: unknown, fallback = "/profile"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}

