// State that must exist once per process. server.ts loads the app's modules through tsx, and the Remix build
// bundles copies of the same files of its own (build/server/index.js): a module-level Map or pool is made twice,
// and what one copy puts in it (server.ts at start-up, the background jobs) the other (the routes) never sees.
// Such state lives on globalThis under a symbol of its name, made by whichever copy asks first.

/** The process's one value of that name, made by `make` the first time any copy of any module asks. */
export function processWide<T>(name: string, make: () => T): T {
  const key = Symbol.for(`sedo-gateway.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  return (store[key] ??= make());
}
