// The production process holds one copy of every server module (scripts/build.mjs, next.config.js): Next's
// build bundles none of lib/'s core and loads it as the external package @vouch/core, which the node:http
// identity route in scripts/start.mjs imports too. And every way of serving answers the same fallbacks.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./helpers";

const root = path.join(import.meta.dirname, "..");
// Texts found in one core module each (the database client, the identity route, the rate limiter, the
// sign-in throttle): a bundled copy of any of them would carry its text.
const MARKERS = [
  "rawDb: the current client was not made by createDb",
  "identity route: configuration unavailable",
  "rate limit: Redis unavailable",
  "sign-in throttle: could not count the attempt",
];

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((d) => {
    if (!d.isFile() || !d.name.endsWith(".js")) return [];
    return [path.join(d.parentPath, d.name)];
  });
}

test("Next's build loads the server core as an external and bundles no copy of it", () => {
  const core = jsFiles(path.join(root, "node_modules/@vouch/core")).map((f) => fs.readFileSync(f, "utf8"));
  const server = jsFiles(path.join(root, ".next/server")).map((f) => [f, fs.readFileSync(f, "utf8")] as const);
  expect(core.length).toBeGreaterThan(20);
  for (const marker of MARKERS) {
    expect(
      core.some((text) => text.includes(marker)),
      `compiled core has "${marker}"`,
    ).toBe(true);
    const copies = server.filter(([, text]) => text.includes(marker)).map(([f]) => path.relative(root, f));
    expect(copies, `bundled copies of the module with "${marker}"`).toEqual([]);
  }
  const externals = server.filter(([, text]) => /@vouch\/core-[0-9a-f]+\//.test(text));
  expect(externals.length).toBeGreaterThan(5);
});

test("one 404 and 405 answer from the production server", async ({ request }) => {
  const wrongMethod = await request.get("/api/v1/communities/anything/identity");
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()["allow"]).toBe("POST, OPTIONS");
  expect(await wrongMethod.json()).toEqual({
    error: { code: "method_not_allowed", message: "This address takes POST, OPTIONS." },
  });
  for (const url of ["/api/v2/identity", "/api/v1/communities", "/api/health/nope"]) {
    const nothing = await request.post(url, { data: {} });
    expect(nothing.status(), url).toBe(404);
    expect(await nothing.json()).toEqual({
      error: { code: "not_found", message: "There is nothing at this address." },
    });
  }
});
