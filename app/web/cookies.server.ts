// The portal's cookies, all HttpOnly and SameSite=Lax, Secure when the portal is served over https.
import { SESSION_ABSOLUTE_MS } from "../accounts/sessions.server";

export const SESSION_COOKIE = "sedo_session";
export const ANON_COOKIE = "sedo_anon";
export const FLASH_COOKIE = "sedo_flash";

function serialise(name: string, value: string, opts: { secure: boolean; maxAgeSeconds?: number }): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${opts.maxAgeSeconds}`);
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}

export function parseCookies(header: string | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const key = part.slice(0, i).trim();
    try {
      out[key] ??= decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      // a malformed cookie is ignored
    }
  }
  return out;
}

export function sessionCookie(token: string, secure: boolean): string {
  return serialise(SESSION_COOKIE, token, { secure, maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialise(SESSION_COOKIE, "", { secure, maxAgeSeconds: 0 });
}

export function anonymousCookie(value: string, secure: boolean): string {
  return serialise(ANON_COOKIE, value, { secure });
}

/** A one-time message shown on the next page («Вы вышли из портала»). */
export function flashCookie(message: string, secure: boolean): string {
  return serialise(FLASH_COOKIE, message, { secure, maxAgeSeconds: 120 });
}

export function clearedFlashCookie(secure: boolean): string {
  return serialise(FLASH_COOKIE, "", { secure, maxAgeSeconds: 0 });
}
