// CSRF protection: every state-changing form carries a token bound to the visitor (the session once
// signed in, an anonymous cookie before), and requests from foreign origins are refused outright.
import crypto from "node:crypto";

export const CSRF_FIELD = "csrf";

export function csrfTokenFor(secret: string, binding: string): string {
  return crypto.createHmac("sha256", secret).update(`csrf:${binding}`).digest("base64url");
}

export function csrfTokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/** Origin check for unsafe methods: the request must come from the portal's own pages. */
export function isForeignOrigin(
  headers: { origin?: string; secFetchSite?: string },
  appUrl: string,
  requestOrigin: string,
): boolean {
  if (headers.secFetchSite === "cross-site") return true;
  if (!headers.origin || headers.origin === "null") return headers.origin === "null";
  const allowed = new Set([new URL(appUrl).origin, requestOrigin]);
  return !allowed.has(headers.origin);
}

/**
 * Remix refuses an action whose Origin names another host than the request's `X-Forwarded-Host` (first
 * value) or `Host` — with an exception, a 500. A reverse proxy that rewrites Host (and sends no
 * X-Forwarded-Host) makes every form do that; this says so first, so the answer is a clear 403.
 */
export function originHostMismatch(headers: { origin?: string; forwardedHost?: string; host?: string }): boolean {
  if (!headers.origin || headers.origin === "null") return false;
  let originHost: string;
  try {
    originHost = new URL(headers.origin).host;
  } catch {
    return true;
  }
  const host = headers.forwardedHost?.split(",")[0]?.trim() || headers.host;
  return !host || originHost !== host;
}
