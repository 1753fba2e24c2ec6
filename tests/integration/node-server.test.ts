// The one door every way of serving Vouch goes through (createDoor: npm start, npm run dev, the identity
// server): the identity route, health and metrics are answered by the door, everything else falls
// through to Next.js (here: a stand-in) with the client address stamped.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDoor } from "@/lib/api/node-server";
import { CLIENT_ADDRESS_HEADER, readClientAddress } from "@/lib/client-address";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { db } from "@/lib/db";
import { resetDb } from "../helpers/db";

let server: http.Server;
let base: string;
let trustedProxyHops = 0;
const seenByNext: http.IncomingHttpHeaders[] = [];
beforeAll(async () => {
  server = createDoor(
    async (req, res) => {
      seenByNext.push({ ...req.headers });
      res.writeHead(418, { "content-type": "text/plain" }).end(`next: ${req.method} ${req.url}`);
    },
    "test",
    () => trustedProxyHops,
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(async () => {
  trustedProxyHops = 0;
  seenByNext.length = 0;
  await resetDb();
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Acme",
      slug: "acme",
      signed_identities: "reject",
      clock_skew_seconds: 10,
      allowed_origins: ["https://shop.example.com"],
      jwt_keys: [],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the production server's identity route", () => {
  it("reads the body from the node stream: a chunked body past 64 KiB is refused while reading, one at the limit accepted", async () => {
    // No Content-Length: the limit can only hold while the stream is read.
    const streamed = (text: string) =>
      new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
        const req = http.request(`${base}/api/v1/communities/acme/identity`, {
          method: "POST",
          headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
        });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }));
        });
        req.on("error", reject);
        for (let i = 0; i < text.length; i += 8192) req.write(text.slice(i, i + 8192));
        req.end();
      });
    const payload = JSON.stringify({ identity: { uuid: "big", firstname: "x" } });
    const atLimit = payload.slice(0, -1) + " ".repeat(64 * 1024 - payload.length) + "}";
    expect(Buffer.byteLength(atLimit)).toBe(64 * 1024);
    expect((await streamed(atLimit)).status).toBe(200);
    const over = await streamed(atLimit + " ".repeat(40 * 1024));
    expect({ status: over.status, code: JSON.parse(over.body).error.code, connection: over.connection }).toEqual({
      status: 413,
      code: "payload_too_large",
      connection: "close",
    });
    expect(await db().identity.count({ where: { uuid: "big" } })).toBe(1);
  });

  it("reads a body that arrives after its headers, and a kept-alive connection's next request", async () => {
    // Most bodies arrive with their headers and are taken as they are; a slow client's is awaited.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (uuid: string, pauseMs: number) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const text = JSON.stringify({ identity: { uuid, firstname: "Slow" } });
        const req = http.request(`${base}/api/v1/communities/acme/identity`, {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) },
        });
        req.on("response", (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body, socket: req.socket }));
        });
        req.on("error", reject);
        req.flushHeaders();
        if (pauseMs === 0) return req.end(text);
        req.write(text.slice(0, 10));
        setTimeout(() => req.end(text.slice(10)), pauseMs);
      });
    try {
      const slow = await send("slow-1", 100);
      const fast = await send("fast-1", 0);
      expect([slow.status, fast.status]).toEqual([200, 200]);
      expect(JSON.parse(slow.body).identity.uuid).toBe("slow-1");
      expect(JSON.parse(fast.body).identity.uuid).toBe("fast-1");
      expect(fast.socket).toBe(slow.socket); // one connection, kept alive across both
      expect(await db().identity.count({ where: { uuid: { in: ["slow-1", "fast-1"] } } })).toBe(2);
    } finally {
      agent.destroy();
    }
  });

  it("answers the identity route and stores the identity", async () => {
    const res = await post("/api/v1/communities/acme/identity", { identity: { uuid: "visitor-1", firstname: "Ann" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      identity: { uuid: "visitor-1", verified: false, fields: { firstname: "Ann" } },
    });
    expect(await db().identity.count({ where: { uuid: "visitor-1" } })).toBe(1);
    const withSlash = await post("/api/v1/communities/acme/identity/?x=1", { identity: {} });
    expect(withSlash.status).toBe(200);
  });

  it("answers preflights, unknown communities, bad encodings and other methods with the route's errors", async () => {
    const pre = await fetch(base + "/api/v1/communities/acme/identity", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example.com", "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const missing = await post("/api/v1/communities/nope/identity", { identity: {} });
    expect({ status: missing.status, body: await missing.json() }).toMatchObject({
      status: 404,
      body: { error: { code: "community_not_found" } },
    });
    const garbled = await post("/api/v1/communities/%E0%A4%A/identity", { identity: {} });
    expect({ status: garbled.status, body: await garbled.json() }).toMatchObject({
      status: 404,
      body: { error: { code: "community_not_found" } },
    });
    const get = await fetch(base + "/api/v1/communities/acme/identity");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("answers health itself, the same in every mode: no-store, GET and HEAD only", async () => {
    const live = await fetch(base + "/api/health/live");
    expect([live.status, live.headers.get("cache-control"), await live.json()]).toEqual([
      200,
      "no-store",
      { status: "ok" },
    ]);
    const ready = await fetch(base + "/api/health/ready");
    expect([ready.status, ready.headers.get("cache-control"), (await ready.json()).database]).toEqual([
      200,
      "no-store",
      "ok",
    ]);
    expect((await fetch(base + "/api/health/live", { method: "HEAD" })).status).toBe(200);
    const post = await fetch(base + "/api/health/live", { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    expect(seenByNext).toEqual([]);
  });

  it("stamps the client address for Next.js, overwriting a forged one", async () => {
    await fetch(base + "/communities/acme", { headers: { [CLIENT_ADDRESS_HEADER]: "forged 203.0.113.9" } });
    expect(readClientAddress(seenByNext[0]![CLIENT_ADDRESS_HEADER] as string)).toBe("127.0.0.1");
  });

  it("leaves every other request to Next.js", async () => {
    for (const path of [
      "/",
      "/communities/acme",
      "/api/health/console",
      "/api/v1/communities/acme",
      "/api/v1/communities/acme/identity/x",
      "/api/v1/openapi.json",
    ]) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(418);
      expect(await res.text()).toBe(`next: GET ${path}`);
    }
  });

  it("trusts forwarded host and proto headers only through configured proxies", async () => {
    // A page on evil.example claims, through X-Forwarded-Host, that it is Vouch's own origin.
    const forged = { origin: "https://evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    const refused = await post("/api/v1/communities/acme/identity", { identity: {} }, forged);
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({
      status: 403,
      body: { error: { code: "origin_not_allowed" } },
    });
    await fetch(base + "/communities/acme", {
      headers: { ...forged, "x-forwarded-for": "203.0.113.9", forwarded: "for=203.0.113.9" },
    });
    expect(seenByNext.at(-1)).not.toHaveProperty("x-forwarded-host");
    expect(seenByNext.at(-1)).not.toHaveProperty("x-forwarded-proto");
    expect(seenByNext.at(-1)).not.toHaveProperty("x-forwarded-for");
    expect(seenByNext.at(-1)).not.toHaveProperty("forwarded");

    // Behind one configured proxy, the proxy's headers are the truth: Vouch's own origin through it is same-origin.
    trustedProxyHops = 1;
    const proxied = {
      origin: "https://vouch.example.com",
      "x-forwarded-host": "vouch.example.com",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "198.51.100.4",
    };
    const same = await post("/api/v1/communities/acme/identity", { identity: {} }, proxied);
    expect(same.status).toBe(200);
    await fetch(base + "/communities/acme", { headers: proxied });
    expect(seenByNext.at(-1)).toMatchObject({ "x-forwarded-host": "vouch.example.com", "x-forwarded-proto": "https" });
  });

  it("answers a malformed slug 404 without a lookup and caches nothing for it", async () => {
    const { runtimeConfigCacheStats } = await import("@/lib/dal/runtime-config");
    const before = runtimeConfigCacheStats().entries;
    for (const slug of [
      "A".repeat(6000),
      "x",
      "has_underscore",
      "-lead",
      "trail-",
      "double--hyphen",
      "%00",
      "a".repeat(49),
    ]) {
      const res = await post(`/api/v1/communities/${slug}/identity`, { identity: {} });
      expect({ slug: slug.slice(0, 20), status: res.status, body: await res.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "community_not_found" } },
      });
    }
    expect(runtimeConfigCacheStats().entries).toBe(before);
  });
});
