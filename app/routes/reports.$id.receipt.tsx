// The receipt PDF of an accepted report, for the representative who sent it (others: 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireRepresentative } from "~/accounts/guards.server";
import { receiptFileName, receiptPdf } from "~/reports/receipt.server";
import { idParam } from "~/web/params";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRepresentative(request, context);
  const receipt = await receiptPdf(
    { db: context.db, uploadsDir: context.config.uploadsDir },
    user.id,
    idParam(params.id),
  );
  if (!receipt) throw data({ message: "Квитанция не найдена." }, { status: 404 });
  return new Response(Buffer.from(receipt.bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `inline; filename="${receiptFileName(receipt.receiptNumber)}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
