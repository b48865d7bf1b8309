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
 * React 18's streaming renderer can end a chunk with NUL bytes when a multi-byte character (all of
 * our Cyrillic text) does not fit its 2 KB buffer (facebook/react#26228, fixed after 18.3.1). The
 * bytes are padding, never content: HTML has no NUL, so the chunk's trailing zeros are dropped.
 */
export function withoutTrailingNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let end = chunk.length;
      while (end > 0 && chunk.length - end < 3 && chunk[end - 1] === 0) end--;
      callback(null, end === chunk.length ? chunk : chunk.subarray(0, end));
    },
  });
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
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitFor]() {
          shellRendered = true;
          const body = withoutTrailingNulBytes();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while streaming the shell are already logged by handleError or the route.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
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
