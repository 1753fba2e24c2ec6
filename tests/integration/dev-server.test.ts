// `npm run dev` (next dev) bundles lib/ from its sources rather than loading the compiled core, so code
// that only works unbundled fails there and nowhere else — e.g. the SQLite worker once could not find
// its driver under next dev (the bundler rewrote the resolution) and the identity route answered 503.
// A real `next dev` on the test database: the identity route stores an identity. (SQLite project only:
// one dev server per checkout at a time — this fails if another `next dev` runs in the same checkout.)
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { db } from "@/lib/db";
import { resolveDatabase } from "@/lib/db-url";
import { resetDb } from "../helpers/db";
import { freePort } from "../helpers/redis";

let dev: ChildProcess | undefined;
afterAll(async () => {
  if (!dev || dev.exitCode !== null) return;
  const exited = new Promise((resolve) => dev!.once("exit", resolve));
  dev.kill("SIGTERM");
  await exited;
});

describe.runIf(resolveDatabase().provider === "sqlite")("next dev", () => {
  it("serves the identity route and stores the identity", { timeout: 180_000 }, async () => {
    await resetDb();
    await importCommunityConfig(null, {
      version: 1,
      community: { name: "Dev", slug: "dev-shop", signed_identities: "reject", jwt_keys: [] },
    });
    const port = await freePort();
    let output = "";
    dev = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", "-p", String(port)], {
      env: { ...process.env, NODE_ENV: "development", NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    dev.stdout!.on("data", (c: Buffer) => (output += c));
    dev.stderr!.on("data", (c: Buffer) => (output += c));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (dev.exitCode !== null) throw new Error(`next dev exited (${dev.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`next dev did not come up:\n${output}`);
      if (
        await fetch(`${base}/api/health/live`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const res = await fetch(`${base}/api/v1/communities/dev-shop/identity`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identity: { uuid: "dev-visitor", firstname: "Dev" } }),
    });
    const body = await res.text();
    expect({ status: res.status, body: JSON.parse(body) }, output).toMatchObject({
      status: 200,
      body: { identity: { uuid: "dev-visitor", verified: false, fields: { firstname: "Dev" } } },
    });
    const row = await db().identity.findFirst({ where: { uuid: "dev-visitor" } });
    expect(row && JSON.parse(row.fields)).toEqual({ firstname: "Dev" });
  });
});
