// The portal's process: Express serves static files and Remix pages, resolves the session once per
// request and hands it to Remix through the load context, and runs the background jobs.
import cluster from "node:cluster";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { pathToFileURL } from "node:url";
import express, { type NextFunction, type Request, type Response } from "express";
import compression from "compression";
import expressStaticGzip from "express-static-gzip";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { ConfigError, loadConfig, type Config } from "./app/config.server";
import { shiftedClock, systemClock, type Clock } from "./app/clock.server";
import { createDb, type DbHandle } from "./db/index.server";
import { migrateToLatest } from "./db/migrate.server";
import { hasDemoAccounts, seedDemoData } from "./db/seed/demo.server";
import { seedDemoTrust } from "./app/certificates/trust-list.server";
import { applyLoadedCalendars } from "./app/calendar/import.server";
import { seedTerritorialBodies } from "./db/seed/registry.server";
import { INCOMING_DIR, sweepOrphanUploads } from "./app/web/stored-files.server";
import { resolveSession } from "./app/accounts/sessions.server";
import { createMailTransport, type MailTransport } from "./app/mail/transport.server";
import { startBackgroundJobs } from "./app/jobs.server";
import type { AppContext } from "./app/web/context.server";
import { csrfTokenFor, isForeignOrigin, originHostMismatch } from "./app/web/csrf.server";
import { heldLines, loggablePath } from "./app/web/logging.server";
import { writesByTurn } from "./app/web/response-writes.server";
import { withSecurityHeaders } from "./app/web/security-headers.server";
import { uploadRoute } from "./app/web/uploads.server";
import { UPLOADS } from "./app/web/upload-routes.server";
import { offlineRegistry, type MchdRegistry } from "./app/proxies/mchd-registry.server";
import { closeReaders } from "./app/reports/forms/pool.server";
import { ApiTokenError, authenticateApiRequest } from "./app/api/tokens.server";
import {
  ANON_COOKIE,
  FLASH_COOKIE,
  SESSION_COOKIE,
  anonymousCookie,
  clearedFlashCookie,
  clearedSessionCookie,
  parseCookies,
} from "./app/web/cookies.server";

/** An answer shorter than this (one TCP packet, about) goes uncompressed when its length is declared. */
export const COMPRESSION_THRESHOLD_BYTES = 1400;

export interface AppOptions {
  config: Config;
  database: DbHandle;
  clock: Clock;
  build: ServerBuild;
  log?: (line: string) => void;
  /** The ФНС register of МЧД; offline by default. */
  mchdRegistry?: MchdRegistry;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

let entropy = Buffer.alloc(0);
let entropyAt = 0;
/**
 * Bytes from the system's CSPRNG, each handed out once, taken from 4 KiB drawn at a time (as Node keeps entropy
 * for randomUUID): a nonce and an anonymous id cost two calls into the kernel on every page otherwise.
 */
export function freshRandomBytes(size: number): Buffer {
  if (entropyAt + size > entropy.length) {
    entropy = crypto.randomBytes(4096);
    entropyAt = 0;
  }
  const bytes = Buffer.from(entropy.subarray(entropyAt, entropyAt + size));
  entropy.fill(0, entropyAt, entropyAt + size);
  entropyAt += size;
  return bytes;
}

/** A page Express answers by itself (refused before Remix, or an error of ours), in the portal's colours. */
function errorPage(title: string, text: string, requestId?: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — СЭДО-шлюз</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>
body{margin:0;font-family:"PT Sans","Segoe UI",Roboto,Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#f4f6f9}
header{background:#0b5cad;padding:0.9rem 1.25rem}header a{color:#fff;font-weight:600;text-decoration:none;font-size:1.15rem}
main{max-width:32rem;margin:2rem auto;padding:1.5rem 1.75rem;background:#fff;border:1px solid #d4d9e0;border-radius:6px}
h1{font-size:1.6rem;margin:0 0 1rem}a{color:#0b5cad}</style></head>
<body><header><a href="/">СЭДО-шлюз</a></header><main><h1>${title}</h1><p>${text}</p>
${requestId ? `<p>Код обращения: <code>${requestId}</code></p>` : ""}<p><a href="/">На главную</a></p></main></body></html>`;
}

export function createApp(opts: AppOptions): express.Express {
  const { config, database, clock, build } = opts;
  // A line written as it is (console.log formats and checks for colours on every call: 1.6 % of a page's time),
  // with the other lines of its turn of the event loop in one write (heldLines).
  const log = opts.log ?? heldLines((text) => void process.stdout.write(text));
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);

  app.use((req, res, next) => {
    const requestId = crypto.randomUUID();
    res.locals.requestId = requestId;
    const started = process.hrtime.bigint();
    res.setHeader("X-Request-Id", requestId);
    res.locals.cspNonce = freshRandomBytes(16).toString("base64");
    withSecurityHeaders(res, {
      nonce: res.locals.cspNonce,
      https: config.appUrl.startsWith("https://"),
      signedIn: () => Boolean((res.locals.context as AppContext | undefined)?.session),
    });
    writesByTurn(res);
    res.on("finish", () => {
      if (req.path.startsWith("/build/")) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // With WEB_CONCURRENCY > 1 the line says which process answered.
      log(
        `${req.method} ${loggablePath(req.originalUrl)} ${res.statusCode} ${ms.toFixed(1)}ms id=${requestId}${cluster.isWorker ? ` pid=${process.pid}` : ""}`,
      );
    });
    next();
  });

  // A malformed percent-encoding in the address is the client's mistake: 400 with a page, not an error of ours.
  app.use((req, res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      res
        .status(400)
        .type("html")
        .send(
          errorPage(
            "Неверный адрес",
            "В адресе страницы есть повреждённые символы. Проверьте ссылку или начните с главной.",
            res.locals.requestId,
          ),
        );
      return;
    }
    next();
  });

  const publicDir = path.resolve("public");
  // Scripts and styles were compressed once at build (scripts/precompress.ts): .br or .gz as the browser accepts.
  app.use(
    "/build",
    expressStaticGzip(path.join(publicDir, "build"), {
      enableBrotli: true,
      orderPreference: ["br", "gz"],
      serveStatic: { immutable: true, maxAge: "1y" },
    }),
  );
  // Pages and JSON are compressed as they stream (brotli or gzip); downloads of PDFs and archives are not, nor an
  // answer of declared length that fits in one packet (COMPRESSION_THRESHOLD_BYTES). Brotli's window is 256 KiB,
  // larger than any page, instead of the 4 MiB it would allocate for every response.
  app.use(
    compression({
      threshold: COMPRESSION_THRESHOLD_BYTES,
      brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 } },
    }),
  );
  // The other public files (favicon.svg) have an extension; a page's path has none (or .data, its data), so it is
  // not looked up on disk first — that was a file-system call on every page request.
  const publicFiles = express.static(publicDir, { maxAge: "1h", index: false });
  app.use((req, res, next) =>
    /\.[A-Za-z0-9]+$/.test(req.path) && !req.path.endsWith(".data") ? publicFiles(req, res, next) : next(),
  );

  // Requests that change state must come from the portal's own pages.
  app.use((req, res, next) => {
    if (!UNSAFE_METHODS.has(req.method)) return next();
    const requestOrigin = `${req.protocol}://${req.get("host")}`;
    if (
      isForeignOrigin(
        { origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") },
        config.appUrl,
        requestOrigin,
      )
    ) {
      res
        .status(403)
        .type("html")
        .send(errorPage("Запрос отклонён", "Запрос отправлен со стороннего сайта и не принят.", res.locals.requestId));
      return;
    }
    if (
      originHostMismatch({
        origin: req.get("origin"),
        forwardedHost: req.get("x-forwarded-host"),
        host: req.get("host"),
      })
    ) {
      // The page came from APP_URL, but the request reached us under another host name: a reverse proxy
      // rewrites Host. Said plainly instead of failing inside Remix.
      log(`origin-host mismatch id=${res.locals.requestId}: origin ${req.get("origin")} host ${req.get("host")}`);
      res
        .status(403)
        .type("html")
        .send(
          errorPage(
            "Запрос отклонён",
            "Адрес, с которого отправлена форма, не совпадает с адресом, по которому запрос пришёл на портал. " +
              "Если портал работает за обратным прокси, прокси должен передавать заголовок Host без изменений " +
              "или заголовок X-Forwarded-Host (см. README, «За обратным прокси»).",
            res.locals.requestId,
          ),
        );
      return;
    }
    next();
  });

  // The session, the CSRF token and the flash message, resolved once and handed to Remix.
  app.use(async (req, res, next) => {
    try {
      const cookies = parseCookies(req.headers.cookie);
      const sessionToken = cookies[SESSION_COOKIE];
      const session = await resolveSession(database.db, clock, sessionToken);
      if (sessionToken && !session) res.append("Set-Cookie", clearedSessionCookie(config.secureCookies));
      let anon = cookies[ANON_COOKIE];
      if (!anon || !/^[A-Za-z0-9_-]{22,64}$/.test(anon)) {
        anon = freshRandomBytes(18).toString("base64url");
        res.append("Set-Cookie", anonymousCookie(anon, config.secureCookies));
      }
      const flash = req.method === "GET" && cookies[FLASH_COOKIE] ? cookies[FLASH_COOKIE].slice(0, 300) : null;
      if (flash) res.append("Set-Cookie", clearedFlashCookie(config.secureCookies));
      const context: AppContext = {
        db: database.db,
        dbKind: database.kind,
        clock,
        config,
        session,
        sessionToken: session ? sessionToken : undefined,
        sessionEnded: Boolean(sessionToken) && !session,
        csrfToken: csrfTokenFor(config.sessionSecret, session ? `s:${session.id}` : `a:${anon}`),
        cspNonce: res.locals.cspNonce,
        flash,
        requestId: res.locals.requestId,
        ip: req.ip ?? req.socket.remoteAddress ?? null,
        userAgent: req.get("user-agent") ?? null,
        mchdRegistry: opts.mchdRegistry ?? offlineRegistry,
      };
      res.locals.context = context;
      next();
    } catch (error) {
      next(error);
    }
  });

  // multer only on the upload routes (the page and its single-fetch data URL).
  // Temporary uploads of this process only: another process sharing UPLOADS_DIR never touches them (the
  // start-up sweep removes what a crashed process left, by age).
  const incoming = path.join(
    config.uploadsDir,
    INCOMING_DIR,
    `${process.pid}-${crypto.randomBytes(4).toString("hex")}`,
  );
  fs.mkdirSync(incoming, { recursive: true });
  // Nobody uploads before being known: without a session (pages) or a valid token (API) the body is not read.
  const signedIn = (_req: Request, res: Response) => Boolean((res.locals.context as AppContext).session);
  // The token checked here is handed to the route (context.apiUser), so it is looked up once per request.
  const tokenHolder = (req: Request, res: Response) =>
    authenticateApiRequest(database.db, clock, {
      headers: new Headers({ authorization: req.get("authorization") ?? "" }),
    }).then(
      (user) => {
        res.locals.apiUser = user;
        return true;
      },
      (error: unknown) => {
        if (error instanceof ApiTokenError) return false;
        throw error;
      },
    );
  for (const spec of Object.values(UPLOADS)) {
    app.use(
      uploadRoute(spec.route, spec.field, spec.maxFileBytes, {
        tempDir: spec.toTempFile ? incoming : undefined,
        maxFiles: spec.maxFiles,
        extraFileFields: spec.extraFileFields,
        maxBodyBytes: spec.maxBodyBytes,
        maxFieldBytes: spec.maxFieldBytes,
        authorize:
          spec.sender === "token"
            ? tokenHolder
            : spec.role
              ? (_req: Request, res: Response) => (res.locals.context as AppContext).session?.user.role === spec.role
              : signedIn,
      }),
    );
  }

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: config.env === "development" ? "development" : "production",
      getLoadContext: (_req, res) => ({
        ...res.locals.context,
        upload: res.locals.upload,
        apiUser: res.locals.apiUser,
      }),
    }),
  );

  // Errors that are ours: logged with the request id, shown as a friendly page with that id.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log(`error id=${res.locals.requestId}: ${error instanceof Error ? error.stack : String(error)}`);
    if (res.headersSent) return;
    res
      .status(500)
      .type("html")
      .send(
        errorPage(
          "Ошибка на портале",
          "Что-то пошло не так на нашей стороне. Попробуйте ещё раз через минуту.",
          res.locals.requestId,
        ),
      );
  });
  return app;
}

export async function loadBuild(): Promise<ServerBuild> {
  const file = path.resolve("build/server/index.js");
  if (!fs.existsSync(file)) throw new Error("The Remix build is missing: run `npm run build` first.");
  return (await import(pathToFileURL(file).href)) as ServerBuild;
}

/** Prepares the database and folders; seeds demo data into an empty embedded database. */
export async function prepare(config: Config, database: DbHandle, clock: Clock): Promise<{ seeded: boolean }> {
  fs.mkdirSync(config.uploadsDir, { recursive: true });
  if (!config.smtpUrl) fs.mkdirSync(config.mailDir, { recursive: true });
  await migrateToLatest(database.db);
  // The fund's regional offices are reference data: present on every database.
  await seedTerritorialBodies(database.db);
  // Calendar years loaded with `npm run calendar:import` take effect over the shipped data.
  await applyLoadedCalendars(database.db);
  // File ages are real time (the files' mtimes), whatever the portal's clock says.
  await sweepOrphanUploads(database.db, config.uploadsDir);
  const seeded = config.seedDemo && database.kind === "sqlite" ? await seedDemoData(database.db, clock) : false;
  // With demo data, the test CA of tests/fixtures is trusted (and shown as «тестовый УЦ»); nowhere else.
  if (config.seedDemo && database.kind === "sqlite" && (await hasDemoAccounts(database.db))) {
    try {
      await seedDemoTrust(database.db, clock, config.appUrl);
    } catch (error) {
      console.error(`The test CA could not be trusted for the demo: ${(error as Error).message}`);
    }
  }
  return { seeded };
}

/** The other server processes keep the calendar years loaded with `npm run calendar:import` current. */
function refreshCalendars(db: DbHandle["db"], everyMs: number): () => void {
  const timer = setInterval(() => void applyLoadedCalendars(db).catch(() => undefined), Math.max(everyMs, 10_000));
  timer.unref();
  return () => clearInterval(timer);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const database = createDb(config.databaseUrl);
  const clock = config.testClockStart ? shiftedClock(config.testClockStart) : systemClock;
  const workers = config.webConcurrency;
  const workerIndex = cluster.isWorker ? Number(process.env.SEDO_WORKER_INDEX ?? "0") : 0;
  if (workers > 1 && cluster.isPrimary) {
    // WEB_CONCURRENCY=N: the primary prepares the database once (migrations, seeds, the sweep of orphan uploads),
    // then N processes serve the same port; the first of them also runs the scheduled jobs and the mail queue.
    const { seeded } = await prepare(config, database, clock);
    if (seeded) console.log("Demo data seeded: see README «Демо-данные» for the demo account.");
    await database.close();
    const fork = (index: number) =>
      cluster.fork({ SEDO_WORKER_INDEX: String(index) }).on("exit", (code, signal) => {
        if (stopping) return;
        console.error(`Server process ${index} exited (${signal ?? code}); starting it again.`);
        fork(index);
      });
    let stopping = false;
    for (let i = 0; i < workers; i++) fork(i);
    const stop = () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
      setTimeout(() => process.exit(0), 6000).unref();
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    console.log(`SEDO Gateway on ${config.appUrl}: ${workers} server processes`);
    return;
  }
  if (cluster.isPrimary) {
    const { seeded } = await prepare(config, database, clock);
    if (seeded) console.log("Demo data seeded: see README «Демо-данные» for the demo account.");
  } else {
    // The primary prepared the database; this process only needs the calendar years loaded.
    await applyLoadedCalendars(database.db);
  }
  const transport: MailTransport = createMailTransport(config);
  const stopJobs =
    workerIndex === 0
      ? startBackgroundJobs({
          db: database.db,
          clock,
          transport,
          mailFrom: config.mailFrom,
          mailPollMs: config.mailPollMs,
          jobsIntervalMs: config.jobsIntervalMs,
          crlRefreshMs: config.crlRefreshMs,
          appUrl: config.appUrl,
          uploadsDir: config.uploadsDir,
        })
      : refreshCalendars(database.db, config.jobsIntervalMs);
  const app = createApp({ config, database, clock, build: await loadBuild() });
  const server = app.listen(config.port, () => {
    if (cluster.isWorker) return;
    console.log(
      `SEDO Gateway on ${config.appUrl} (database: ${config.databaseKind}, mail: ${config.smtpUrl ? "SMTP" : config.mailDir})`,
    );
  });
  const shutdown = () => {
    stopJobs();
    void closeReaders();
    server.close(() => {
      transport.close();
      void database.close().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
