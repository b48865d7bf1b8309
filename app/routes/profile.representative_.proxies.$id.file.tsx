// The uploaded POA, for the representative who uploaded it only (anyone else gets 404).
import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { proxiesOf } from "~/proxies/context.server";
import { proxyErrorData } from "~/proxies/responses.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  let file;
  try {
    file = await proxiesOf(context, user.id).poaFile(Number(params.id));
  } catch (error) {
    throw proxyErrorData(error);
  }
  const stream = Readable.toWeb(fs.createReadStream(file.absolutePath)) as ReadableStream;
  return new Response(stream, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(file.size),
      "Content-Disposition": `inline; filename="poa.pdf"; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
