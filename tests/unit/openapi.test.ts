// The contract checker used by the API tests must be able to fail.
import { expect, it } from "vitest";
import { assertDocumented } from "../support/openapi";

it("docs/openapi.yaml refuses answers that differ from it and operations it does not describe", () => {
  expect(() => assertDocumented("post", "/reports", 200, { status: "accepted" })).toThrow(/differs/);
  expect(() =>
    assertDocumented("get", "/reports", 200, {
      page: 1,
      pages: 1,
      total: 1,
      submissions: [{ submissionId: 1, status: "maybe", receivedAt: "2026-11-23T09:00:00Z", via: "web" }],
    }),
  ).toThrow(/differs/);
  expect(() => assertDocumented("get", "/nope", 200, {})).toThrow(/not in docs/);
  expect(() => assertDocumented("get", "/proxies", 200, { proxies: [] })).not.toThrow();
});
