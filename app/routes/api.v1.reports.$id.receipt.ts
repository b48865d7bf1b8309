// GET /api/v1/reports/:id/receipt: the receipt PDF for accounting software (bearer token).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, requireApiUser } from "~/api/tokens.server";
import { receiptFileName, receiptPdf } from "~/reports/receipt.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const receipt = await receiptPdf(
    { db: context.db, uploadsDir: context.config.uploadsDir },
    user.id,
    idParam(params.id),
  );
  if (!receipt) return apiJson({ error: "Квитанция не найдена." }, 404);
  return new Response(Buffer.from(receipt.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${receiptFileName(receipt.receiptNumber)}"`,
      "Cache-Control": "no-store",
    },
  });
}
