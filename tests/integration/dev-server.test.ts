// `npm run dev` (scripts/dev.ts): `next dev` behind the same node:http door as `npm start`, lib/ loaded from
// its sources — code that only works compiled fails there and nowhere else (the SQLite worker once could
// not find its driver under next dev, and the identity route answered 503). A real `npm run dev` on the
// test database: the identity route stores an identity, and each visitor address has its own rate-limit
// bucket, forwarded headers dropped, health uncached — as in production. (SQLite project only: one dev
// server per checkout at a time — this fails if another `next dev` runs in the same checkout.)
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
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
    await importCommunityConfig(null, {
      version: 1,
      community: { name: "Limited", slug: "dev-limited", signed_identities: "reject", rate_limit_per_minute: 2 },
    });
    const port = await freePort();
    let output = "";
    dev = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/dev.ts")], {
      env: {
        ...process.env,
        PORT: String(port),
        NODE_ENV: "development",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
      },
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

    // Health from the door: uncached, as in production.
    expect((await fetch(`${base}/api/health/live`)).headers.get("cache-control")).toBe("no-store");

    // Each visitor address has its own bucket (dev-limited allows 2 a minute), and a forged
    // X-Forwarded-For changes nothing (no trusted proxy configured).
    const from = (localAddress: string, forwardedFor?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${base}/api/v1/communities/dev-limited/identity`, {
          method: "POST",
          localAddress,
          headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
        });
        req.on("response", (res) => (res.resume(), resolve(res.statusCode!)));
        req.on("error", reject);
        req.end(JSON.stringify({ identity: {} }));
      });
    expect([await from("127.0.0.1"), await from("127.0.0.1", "198.51.100.7"), await from("127.0.0.1")]).toEqual([
      200, 200, 429,
    ]);
    expect([await from("127.0.0.2"), await from("127.0.0.2")]).toEqual([200, 200]);
  });
});
