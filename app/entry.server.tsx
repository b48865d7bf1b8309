// Server rendering: Remix's default for Node (bots and SPA mode wait for all content, browsers get the
// shell first), the NUL-padding fix for React 18's stream, and handleError, which logs our errors with
// the request id and never a one-time token.
import { Transform } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer, isRouteErrorResponse } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { loggablePath } from "./web/logging.server";
import { NonceContext } from "./components/nonce";

const ABORT_DELAY = 5_000;

/**
 * The stream React renders a page into, on its way to the response:
 * - React 18's streaming renderer can end a chunk with NUL bytes when a multi-byte character (all of our Cyrillic
 *   text) does not fit its 2 KB buffer (facebook/react#26228, fixed after 18.3.1). The bytes are padding, never
 *   content: HTML has no NUL, so each chunk's trailing zeros are dropped.
 * - React writes a page in chunks of 2 KB, all in one go; they are passed on together once React is done with that
 *   flush (one chunk, one write to the socket, instead of one for every 2 KB).
 * - React ends the stream again when it closes (its 'close' handler aborts the finished render); that second end()
 *   is ignored instead of building an ERR_STREAM_ALREADY_FINISHED error, with its stack, for every page.
 */
export class PageStream extends Transform {
  private pending: Buffer[] = [];
  private scheduled = false;

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    let end = chunk.length;
    while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
    if (end > 0) this.pending.push(end === chunk.length ? chunk : chunk.subarray(0, end));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.release());
    }
    callback();
  }

  _flush(callback: () => void): void {
    this.release();
    callback();
  }

  end(...args: unknown[]): this {
    if (!this.writableEnded) return super.end(...(args as Parameters<Transform["end"]>));
    const callback = args.find((a) => typeof a === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return this;
  }

  private release(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.push(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Every script of the document carries the request's nonce; the CSP allows no other inline script.
  const nonce = loadContext.cspNonce;
  // Crawlers and SPA mode get the whole document at once; people get the shell as soon as it is ready.
  const waitFor =
    isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode ? "onAllReady" : "onShellReady";
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // Rendering is stopped if it takes longer than ABORT_DELAY; once all of it is rendered there is nothing to
    // stop, so the timer goes (it held every page's render for 5 s and then aborted a finished one).
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const respond = () => {
      shellRendered = true;
      const body = new PageStream();
      responseHeaders.set("Content-Type", "text/html");
      resolve(
        new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          if (waitFor === "onShellReady") respond();
        },
        onAllReady() {
          clearTimeout(timer);
          if (waitFor === "onAllReady") respond();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while streaming the shell are already logged by handleError or the route.
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/** Errors thrown by loaders and actions: responses the user caused (4xx) are not ours to log. */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs): void {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  const id = (context as Partial<AppLoadContext>)?.requestId ?? "-";
  console.error(
    `error id=${id} ${request.method} ${loggablePath(new URL(request.url).pathname)}:`,
    error instanceof Error ? error.stack : error,
  );
}
