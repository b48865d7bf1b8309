// What may appear in logs: paths without their one-time tokens or query strings.
export function loggablePath(url: string): string {
  return url.split("?")[0].replace(/^(https?:\/\/[^/]+)?\/(confirm|reset-password)\/[^/]+/, "$1/$2/…");
}
