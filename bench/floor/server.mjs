// The floor: Express and the Remix request handler with nothing else, on PORT; WORKERS=N runs N processes on it
// (node:cluster, as the portal's WEB_CONCURRENCY does), to show what a second process gives on this machine.
import cluster from "node:cluster";
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const workers = Number(process.env.WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on("message", (_, message) => message === "ready" && ++ready === workers && console.log("floor ready"));
  process.on("SIGTERM", () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill("SIGTERM");
    process.exit(0);
  });
} else {
  await serve();
}

async function serve() {
  const dir = path.dirname(new URL(import.meta.url).pathname);
  const build = await import(pathToFileURL(path.join(dir, "build/server/index.js")).href);
  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static(path.join(dir, "build/public"), { immutable: true, maxAge: "1y" }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  app.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () =>
    cluster.isWorker ? process.send?.("ready") : console.log("floor ready"),
  );
}
