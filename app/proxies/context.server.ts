// Builds the representative-scoped proxies object from a request's context.
import type { AppContext } from "../web/context.server";
import { RepresentativeProxies } from "./representative-proxies.server";

export function proxiesOf(context: AppContext, representativeId: number): RepresentativeProxies {
  return RepresentativeProxies.for(
    {
      db: context.db,
      clock: context.clock,
      dbKind: context.dbKind,
      uploadsDir: context.config.uploadsDir,
      appUrl: context.config.appUrl,
      ip: context.ip,
      mchdRegistry: context.mchdRegistry,
    },
    representativeId,
  );
}
