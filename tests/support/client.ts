// A small browser-like HTTP client: keeps cookies, reads the CSRF token from the last page and
// submits forms the way a browser without JavaScript does.
import http from "node:http";

export interface Page {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

export class BrowserClient {
  private cookies = new Map<string, string>();
  csrf = "";

  constructor(readonly baseUrl: string) {}

  private remember(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(pathOrUrl: string, init: RequestInit = {}): Promise<Page> {
    const url = pathOrUrl.startsWith("http") ? pathOrUrl : this.baseUrl + pathOrUrl;
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    this.remember(res.headers);
    const html = await res.text();
    // A NUL in a page is a rendering defect (see withoutTrailingNulBytes in entry.server.tsx).
    if ((res.headers.get("content-type") ?? "").includes("text/html") && html.includes("\u0000"))
      throw new Error(`NUL character in the response to ${init.method ?? "GET"} ${url}`);
    const token = html.match(/name="csrf" value="([^"]*)"/);
    if (token) this.csrf = token[1];
    return { status: res.status, html, location: res.headers.get("location"), headers: res.headers };
  }

  get(path: string): Promise<Page> {
    return this.request(path);
  }

  /** Follows redirects like a browser, returning the final page. */
  async visit(path: string): Promise<Page> {
    let page = await this.get(path);
    for (let i = 0; i < 5 && page.location; i++) page = await this.get(page.location);
    return page;
  }

  /** Submits a form; the CSRF token from the last page is added unless `csrf` is given. */
  post(path: string, fields: Record<string, string>, options: { origin?: string | null } = {}): Promise<Page> {
    const body = new URLSearchParams({ csrf: this.csrf, ...fields });
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin) headers.Origin = origin;
    return this.request(path, { method: "POST", body, headers });
  }

  /** Opens the page first (as a person would), then submits its form. */
  async submit(path: string, fields: Record<string, string>): Promise<Page> {
    await this.get(path);
    return this.post(path, fields);
  }
}

/** The visible text of an HTML page, for asserting on messages. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

export interface FilePart {
  field: string;
  name: string;
  bytes: Buffer;
  type?: string;
}

/** Sends a multipart form (as a browser does for a file input) with the CSRF token of the last page. */
export async function uploadForm(
  client: BrowserClient,
  path: string,
  fields: Record<string, string>,
  file: FilePart | FilePart[] | null,
): Promise<Page> {
  const form = new FormData();
  form.set("csrf", client.csrf);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const f of file ? (Array.isArray(file) ? file : [file]) : [])
    form.append(f.field, new Blob([new Uint8Array(f.bytes)], { type: f.type ?? "application/octet-stream" }), f.name);
  return client.request(path, { method: "POST", body: form, headers: { Origin: client.baseUrl } });
}

/**
 * Starts a multipart POST that declares `declaredBytes` but sends only the first boundary line, and waits
 * for the answer: the server must answer without reading the body. No answer within 5 s means it waited
 * for the body, and the promise rejects saying so.
 */
export function postDeclaringLength(
  url: string,
  declaredBytes: number,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      headers: {
        "Content-Type": "multipart/form-data; boundary=zz",
        "Content-Length": String(declaredBytes),
        ...headers,
      },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(5000, () => {
      req.destroy();
      reject(new Error(`${url}: no answer within 5 s — the server waited for a body it should not have read`));
    });
    req.write("--zz\r\n");
  });
}
