// The patches of patches/ (applied by `npm ci`): on the server, route trees, data routes and matches are made once
// and found again, every caller still getting matches of its own, and a loader's request is handed on as it is
// when it has nothing to strip. These tests fail if a patch is not applied or changes what the router answers.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { UNSAFE_convertRoutesToDataRoutes, matchRoutes, type AgnosticDataRouteObject } from "@remix-run/router";

const require = createRequire(import.meta.url);
// The server loads these as CommonJS (@remix-run/react requires them), the files the patches change.
const { createStaticHandler, createStaticRouter } =
  require("react-router-dom/server") as typeof import("react-router-dom/server");
const { callRouteLoader } = require("@remix-run/server-runtime/dist/data.js") as {
  callRouteLoader(args: {
    loadContext: unknown;
    loader: (a: { request: Request }) => unknown;
    params: Record<string, string>;
    request: Request;
    routeId: string;
    singleFetch: boolean;
  }): Promise<unknown>;
};

function tree(): AgnosticDataRouteObject[] {
  return UNSAFE_convertRoutesToDataRoutes(
    [
      {
        id: "root",
        path: "",
        children: [
          { id: "login", path: "login" },
          { id: "receipt", path: "reports/:id/receipt" },
          { id: "reports", path: "reports" },
          { id: "rest", path: "*" },
        ],
      },
    ],
    () => ({ hasErrorBoundary: false }),
  );
}

describe("route matching kept per route tree", () => {
  it("answers a path asked again as the first time, each caller with its own matches", () => {
    const routes = tree();
    const first = matchRoutes(routes, "/reports/17/receipt")!;
    expect(first.map((m) => [m.route.id, m.pathname, m.params.id])).toEqual([
      ["root", "/", "17"],
      ["receipt", "/reports/17/receipt", "17"],
    ]);
    // A caller changing its matches does not change what the next one gets.
    (first[1].params as Record<string, string>).id = "changed";
    first.pop();
    const again = matchRoutes(routes, "/reports/17/receipt")!;
    expect(again.map((m) => [m.route.id, m.params.id])).toEqual([
      ["root", "17"],
      ["receipt", "17"],
    ]);
    // The matches of one branch share their params, as the router's own do.
    expect(again[0].params).toBe(again[1].params);
    expect(again[1].route).toBe(routes[0].children![1]);
  });

  it("flattens and ranks a tree once, and matches a path once", () => {
    let reads = 0;
    const login = {
      id: "login",
      get path() {
        reads++;
        return "login";
      },
    };
    const routes = [{ id: "root", path: "", children: [login, { id: "reports", path: "reports" }] }];
    expect(matchRoutes(routes, "/login")!.map((m) => m.route.id)).toEqual(["root", "login"]);
    const afterFirst = reads;
    expect(afterFirst).toBeGreaterThan(0);
    expect(matchRoutes(routes, "/login")!.map((m) => m.route.id)).toEqual(["root", "login"]);
    expect(matchRoutes(routes, "/reports")!.map((m) => m.route.id)).toEqual(["root", "reports"]);
    expect(reads).toBe(afterFirst);
  });

  it("tells other paths, the splat and a basename apart", () => {
    const routes = tree();
    expect(matchRoutes(routes, "/reports/18/receipt")![1].params.id).toBe("18");
    expect(matchRoutes(routes, "/reports")!.map((m) => m.route.id)).toEqual(["root", "reports"]);
    expect(matchRoutes(routes, "/nowhere/at/all")!.map((m) => m.route.id)).toEqual(["root", "rest"]);
    expect(matchRoutes(routes, "/portal/login", "/portal")!.map((m) => m.route.id)).toEqual(["root", "login"]);
    expect(matchRoutes(routes, "/login", "/portal")).toBeNull();
  });

  it("makes the static router's data routes once for the same route array", async () => {
    const routes = [{ id: "root", path: "/", children: [{ id: "login", path: "login" }] }];
    const handler = createStaticHandler(routes);
    const context = await handler.query(new Request("http://portal.test/login"));
    if (context instanceof Response) throw new Error("a redirect");
    const a = createStaticRouter(routes, context);
    const b = createStaticRouter(routes, context);
    expect(b.routes).toBe(a.routes);
    expect(a.state.matches.map((m) => m.route.id)).toEqual(["root", "login"]);
    // Another array gets its own.
    const other = createStaticRouter([...routes], context);
    expect(other.routes).not.toBe(a.routes);
  });
});

describe("a loader's request", () => {
  const seen = async (url: string) => {
    const request = new Request(url);
    let given: Request | undefined;
    await callRouteLoader({
      loadContext: {},
      loader: ({ request: r }) => ((given = r), null),
      params: {},
      request,
      routeId: "routes/x",
      singleFetch: true,
    });
    return { request, given: given! };
  };

  it("is the request itself when it has no index or _routes to strip", async () => {
    const { request, given } = await seen("http://portal.test/reports?page=2");
    expect(given).toBe(request);
  });

  it("is a new one without the empty index and _routes when the address has them", async () => {
    const { request, given } = await seen("http://portal.test/reports?index&_routes=root&page=2");
    expect(given).not.toBe(request);
    expect(new URL(given.url).search).toBe("?page=2");
  });
});
