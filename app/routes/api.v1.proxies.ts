// GET /api/v1/proxies: the representative's organisations with the status and term of each power of
// attorney, for accounting software. Authenticated by a personal API token only (never the session
// cookie, so no other site can call it on a signed-in person's behalf).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiJson, requireApiUser } from "~/api/tokens.server";
import { proxiesOf } from "~/proxies/context.server";
import { STATUS_LABELS } from "~/proxies/statuses";

const STATUS_CODES = {
  not_filled: "not_filled",
  in_review: "in_review",
  approved: "approved",
  rejected: "rejected",
  expired: "expired",
  withdrawn: "withdrawn",
} as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const rows = await proxiesOf(context, user.id).all();
  return apiJson({
    proxies: rows.map((r) => ({
      registrationNumber: r.regnum,
      inn: r.inn,
      kpp: r.kpp,
      name: r.short_name,
      fullName: r.full_name,
      status: STATUS_CODES[r.status],
      statusText: STATUS_LABELS[r.status],
      validFrom: r.valid_from,
      validTo: r.valid_to,
      submittedAt: r.submitted_at,
      reviewDueAt: r.sla_due_at,
      decidedAt: r.decided_at,
      rejectionReason: r.rejection_reason,
      document: r.poa_kind,
      mchdNumber: r.mchd_number,
    })),
  });
}
