// The intake context of a request.
import type { AppContext } from "../web/context.server";
import type { IntakeContext } from "./intake.server";

export function intakeOf(context: AppContext): IntakeContext {
  return {
    db: context.db,
    clock: context.clock,
    uploadsDir: context.config.uploadsDir,
    appUrl: context.config.appUrl,
    ip: context.ip,
  };
}
