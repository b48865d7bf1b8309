// The security headers of every answer, set just before the headers go out, so a route that sets one of them
// itself (a download's nosniff or Cache-Control) is not answered with it twice: Remix appends the route's
// headers to what Express already holds.
import type { ServerResponse } from "node:http";

export interface SecurityHeaderOptions {
  /** APP_URL is https: browsers are told to use nothing else (HSTS). */
  https: boolean;
  /** The request's CSP nonce (random, 128 bits). */
  nonce: string;
  /** Whether the request came with a live session: its pages must not be stored by any cache. */
  signedIn: () => boolean;
}

/** Scripts only from the portal or inline with this request's nonce; styles may stay inline (React style props). */
const contentSecurityPolicy = (nonce: string) =>
  `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
  "object-src 'self'; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'self'";

export function withSecurityHeaders(res: ServerResponse, options: SecurityHeaderOptions): void {
  const defaults = (): Array<[string, string]> => [
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
    ["X-Frame-Options", "SAMEORIGIN"],
    ["Content-Security-Policy", contentSecurityPolicy(options.nonce)],
    ...(options.https
      ? ([["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]] as Array<[string, string]>)
      : []),
    // A signed-in page (the profile, an operator's card with СНИЛС, a token shown once) is never cached.
    ...(options.signedIn() ? ([["Cache-Control", "private, no-store"]] as Array<[string, string]>) : []),
  ];
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    for (const [name, value] of defaults()) if (!this.hasHeader(name)) this.setHeader(name, value);
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
