// GET /api/v1/reports/:id/receipt: the receipt PDF for accounting software (bearer token).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ApiTokenError, authenticateApiRequest } from "~/api/tokens.server";
import { receiptPdf } from "~/reports/receipt.server";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  let user;
  try {
    user = await authenticateApiRequest(context.db, context.clock, request);
  } catch (error) {
    if (error instanceof ApiTokenError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
  const receipt = await receiptPdf(context.db, user.id, Number(params.id));
  if (!receipt) return Response.json({ error: "Квитанция не найдена." }, { status: 404 });
  return new Response(Buffer.from(receipt.bytes), { headers: { "Content-Type": "application/pdf", "Cache-Control": "no-store" } });
}
