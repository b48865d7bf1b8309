// The POA PDF for the operators of the organisation's territorial office (others: 404).
import fs from "node:fs";
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireOperator } from "~/accounts/guards.server";
import { ProxyError } from "~/proxies/errors.server";
import { queueOf } from "~/review/context.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const operator = await requireOperator(request, context);
  let file;
  try {
    file = await (await queueOf(context, operator)).poaFile(Number(params.id));
  } catch (error) {
    if (error instanceof ProxyError && error.status === 404) throw data({ message: "Файл не найден." }, { status: 404 });
    throw error;
  }
  return new Response(Readable.toWeb(fs.createReadStream(file.absolutePath)) as ReadableStream, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(file.size),
      "Content-Disposition": `inline; filename="poa.pdf"; filename*=UTF-8''${encodeURIComponent(file.originalName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
