// Guards that throw: a loader starts with `await requireRepresentative(...)` or
// `await requireOperator(...)` and cannot forget the check. Not signed in → redirect to Вход;
// signed in with the wrong role → 403, written to the audit journal.
import { data, redirect } from "@remix-run/node";
import { recordAuditEvent } from "../audit/journal.server";
import type { AppContext } from "../web/context.server";
import type { ActiveSession, SessionUser } from "./sessions.server";

export function requireSession(request: Request, context: AppContext): ActiveSession {
  if (!context.session) {
    const url = new URL(request.url);
    const back = url.pathname.replace(/\.data$/, "") + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}${context.sessionEnded ? "&expired=1" : ""}`);
  }
  return context.session;
}

export function requireUser(request: Request, context: AppContext): SessionUser {
  return requireSession(request, context).user;
}

async function deny(request: Request, context: AppContext, user: SessionUser, message: string): Promise<never> {
  await recordAuditEvent(context.db, context.clock, {
    action: "access.denied",
    actorId: user.id,
    subjectType: "path",
    subjectId: new URL(request.url).pathname.slice(0, 64),
    ip: context.ip,
    details: { role: user.role, method: request.method },
  });
  throw data({ message }, { status: 403 });
}

export async function requireRepresentative(request: Request, context: AppContext): Promise<SessionUser> {
  const user = requireUser(request, context);
  if (user.role !== "representative")
    return deny(request, context, user, "Этот раздел доступен только уполномоченным представителям.");
  return user;
}

export type OperatorUser = SessionUser & { territorialBodyCode: string };

export async function requireOperator(request: Request, context: AppContext): Promise<OperatorUser> {
  const user = requireUser(request, context);
  if (user.role !== "operator" || !user.territorialBodyCode) {
    return deny(request, context, user, "Этот раздел доступен только сотрудникам территориальных органов СФР.");
  }
  return user as OperatorUser;
}

export async function requireAdmin(request: Request, context: AppContext): Promise<SessionUser> {
  const user = requireUser(request, context);
  if (user.role !== "admin")
    return deny(request, context, user, "Этот раздел доступен только администраторам портала.");
  return user;
}

/** Where to go after sign-in: only a path on this portal, never another site. */
/**
 * Where to go after sign-in: only a path of the portal itself. The value is parsed the way a browser would
 * (`new URL(value, appUrl)`, which drops tabs and line breaks, so «/\t/evil.example» is «//evil.example»);
 * anything that lands on another origin, or is not a path to begin with, goes to the fallback. The answer is
 * the parsed path, percent-encoded, so no control character ever reaches a Location header.
 */
export function safeRedirectTarget(value: unknown, appUrl: string, fallback = "/profile"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return fallback;
  let target: URL;
  try {
    target = new URL(value, appUrl);
  } catch {
    return fallback;
  }
  if (target.origin !== new URL(appUrl).origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  return path.startsWith("//") || path.startsWith("/\\") ? fallback : path;
}

/** Each role's start page. */
export function homeOf(role: SessionUser["role"]): string {
  return role === "operator" ? "/operator" : role === "admin" ? "/admin/operators" : "/profile";
}
