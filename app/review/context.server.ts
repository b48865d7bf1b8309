// Builds the office-scoped queue for a request's operator.
import type { OperatorUser } from "../accounts/guards.server";
import type { AppContext } from "../web/context.server";
import { OfficeQueue } from "./office-queue.server";

export function queueOf(context: AppContext, operator: OperatorUser): Promise<OfficeQueue> {
  return OfficeQueue.for(
    {
      db: context.db,
      clock: context.clock,
      uploadsDir: context.config.uploadsDir,
      appUrl: context.config.appUrl,
      ip: context.ip,
    },
    { id: operator.id, officeCode: operator.territorialBodyCode, subdivisions: operator.subdivisions },
  );
}
