import type { ProxyStatus } from "../../db/schema";
import { STATUS_LABELS } from "~/proxies/statuses";

export function StatusBadge({ status }: { status: ProxyStatus }) {
  return <span className={`status status--${status}`}>{STATUS_LABELS[status]}</span>;
}
