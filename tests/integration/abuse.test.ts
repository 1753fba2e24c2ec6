// docs/security.md, bounded memory: a real identity server flooded with 20,000 random well-formed slugs
// (lookups + negative cache entries), 6 KB random slugs and random long paths keeps its RSS growth
// under 30 MiB. (Before the bound, 20,000 random slugs grew `npm start` by 285 MiB for good.)
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flood, rssMiB, shots } from "../../scripts/abuse-traffic";
import { startIdentityServer } from "../helpers/identity-server";

let server: Awaited<ReturnType<typeof startIdentityServer>>;
let base: string;
beforeAll(async () => {
  server = await startIdentityServer(0, { NODE_ENV: "production" }, ["--expose-gc"]);
  base = `http://127.0.0.1:${server.port}`;
}, 60_000);
afterAll(() => {
  server?.kill("SIGTERM");
});

/** RSS after a full collection in the server (see scripts/identity-server.ts): memory kept, not garbage. */
async function settledRss(proc: ChildProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 500)); // let the last responses finish
  await new Promise<void>((resolve) => {
    proc.once("message", () => resolve());
    proc.send("gc");
  });
  return rssMiB(proc.pid!);
}

describe("bounded memory under hostile traffic", () => {
  it("keeps RSS growth under 30 MiB over 20,000 random slugs and random long paths", async () => {
    // Warm up with the same traffic: JIT, pools, the heap and the caches at their working size, so what
    // is measured next is growth, not the first collections' sizing.
    await flood(base, 10_000, shots.unknownSlug, { concurrency: 16 });
    await flood(base, 10_000, shots.longSlugPreflight, { concurrency: 16 });
    await flood(base, 5000, shots.longPath, { concurrency: 16 });
    const before = await settledRss(server);
    const unknown = await flood(base, 20_000, shots.unknownSlug, { concurrency: 16, maxSeconds: 120 });
    const long = await flood(base, 20_000, shots.longSlugPreflight, { concurrency: 16, maxSeconds: 120 });
    const paths = await flood(base, 5000, shots.longPath, { concurrency: 16, maxSeconds: 60 });
    const after = await settledRss(server);
    console.log(
      `abuse: RSS ${before} → ${after} MiB; unknown slugs ${JSON.stringify(unknown.byStatus)} in ${unknown.seconds} s; ` +
        `6 KB slugs ${JSON.stringify(long.byStatus)}; long paths ${JSON.stringify(paths.byStatus)}`,
    );
    expect(unknown).toMatchObject({ sent: 20_000, byStatus: { "404": 20_000 } });
    expect(long).toMatchObject({ sent: 20_000, byStatus: { "404": 20_000 } });
    expect(paths).toMatchObject({ sent: 5000, byStatus: { "404": 5000 } });
    expect(after - before).toBeLessThan(30);
  }, 300_000);
});
