// One answer for 404, 405 and unexpected errors (lib/api/answers.ts): the node:http door every way of
// serving Vouch goes through, and Next's catch-all for /api/ addresses no route file serves.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// An identity request for the community "explode" fails the way nothing expects (say, a bug).
vi.mock("@/lib/api/identity-route", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/api/identity-route")>();
  const boom = (slug: string) => {
    if (slug === "explode") throw new Error("boom: secret detail that must stay in the log");
  };
  return {
    ...real,
    identityPost: async (...args: Parameters<typeof real.identityPost>) => {
      boom(args[1]);
      return real.identityPost(...args);
    },
  };
});

const { createIdentityServer } = await import("@/lib/api/node-server");
const { captureLogs } = await import("@/lib/logger");
const catchAll = await import("@/app/api/[...path]/route");

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = createIdentityServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function described(response: Response) {
  return {
    status: response.status,
    allow: response.headers.get("allow"),
    type: response.headers.get("content-type"),
    cache: response.headers.get("cache-control"),
    body: (await response.json()) as unknown,
  };
}

describe("the fallback answers", () => {
  it("405 for a method the identity route does not take", async () => {
    for (const method of ["GET", "PUT", "PATCH", "DELETE"] as const) {
      const fromNode = await described(await fetch(`${base}/api/v1/communities/acme/identity`, { method }));
      expect(fromNode).toEqual({
        status: 405,
        allow: "POST, OPTIONS",
        type: "application/json",
        cache: "no-store",
        body: { error: { code: "method_not_allowed", message: "This address takes POST, OPTIONS." } },
      });
    }
  });

  it("404 for an address nothing serves: the same from the catch-all route file and node:http", async () => {
    const fromNode = await described(await fetch(`${base}/api/v2/whatever`));
    expect(fromNode).toEqual({
      status: 404,
      allow: null,
      type: "application/json",
      cache: "no-store",
      body: { error: { code: "not_found", message: "There is nothing at this address." } },
    });
    expect(await described(catchAll.GET())).toEqual(fromNode);
    expect(await described(catchAll.POST())).toEqual(fromNode);
  });

  it("503 for an unexpected error, the detail only in the log", async () => {
    const init = { method: "POST", headers: { "content-type": "application/json" }, body: "{}" };
    const capture = captureLogs("error");
    const fromNode = await described(await fetch(`${base}/api/v1/communities/explode/identity`, init)).finally(() =>
      capture.stop(),
    );
    // The detail is in the log, with where it happened, and nowhere in the answer.
    expect(capture.lines.join("\n")).toContain("boom: secret detail that must stay in the log");
    expect(capture.lines.join("\n")).toContain("identity route: unexpected error");
    expect(JSON.stringify(fromNode)).not.toContain("boom");
    expect(fromNode).toEqual({
      status: 503,
      allow: null,
      type: "application/json",
      cache: "no-store",
      body: { error: { code: "unavailable", message: "The service is temporarily unavailable. Retry later." } },
    });
  });
});
