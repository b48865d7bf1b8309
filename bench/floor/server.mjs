// The floor: Express and the Remix request handler with nothing else, on PORT.
import path from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const dir = path.dirname(new URL(import.meta.url).pathname);
const build = await import(pathToFileURL(path.join(dir, "build/server/index.js")).href);
const app = express();
app.disable("x-powered-by");
app.use("/build", express.static(path.join(dir, "build/public"), { immutable: true, maxAge: "1y" }));
app.all("*", createRequestHandler({ build, mode: "production" }));
app.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () => console.log("floor ready"));
