// What the Express layer hands every loader and action: the database, the clock, the settings,
// the resolved session and the request's identity. Routes never reach for globals.
import type { Db } from "../../db/index.server";
import type { Clock } from "../clock.server";
import type { Config, DatabaseKind } from "../config.server";
import type { ActiveSession, SessionUser } from "../accounts/sessions.server";
import type { UploadResult } from "./uploads.server";

export interface AppContext {
  db: Db;
  dbKind: DatabaseKind;
  clock: Clock;
  config: Config;
  session: ActiveSession | null;
  /** The raw session cookie, so sign-in can end it and sign-out can delete it. */
  sessionToken: string | undefined;
  /** The browser sent a session cookie that has ended (idle, expired or signed out elsewhere). */
  sessionEnded: boolean;
  csrfToken: string;
  /** This request's Content-Security-Policy nonce: the only inline scripts that run carry it. */
  cspNonce: string;
  flash: string | null;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  /** Set on upload routes by the multer layer: the fields, the file, or why the upload failed. */
  upload?: UploadResult;
  /** Set on the API's upload route when the token was already checked before reading the body. */
  apiUser?: SessionUser;
  /** The ФНС register of МЧД (offline by default: the operator checks by hand). */
  mchdRegistry: MchdRegistry;
}

import type { MchdRegistry } from "../proxies/mchd-registry.server";

declare module "@remix-run/node" {
  interface AppLoadContext extends AppContext {}
  interface Future {
    v3_singleFetch: true;
  }
}
