// How proxy statuses are named on the pages (shared by server and browser).
import type { ProxyStatus } from "../../db/schema";

export const STATUS_LABELS: Record<ProxyStatus, string> = {
  not_filled: "Не заполнено",
  in_review: "На проверке",
  approved: "Утверждено",
  rejected: "Отклонено",
  expired: "Срок истёк",
  withdrawn: "Удалено",
};

export const FILTERABLE_STATUSES: ProxyStatus[] = ["not_filled", "in_review", "approved", "rejected", "expired"];
