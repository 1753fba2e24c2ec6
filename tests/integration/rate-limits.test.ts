// docs/security.md rate limits on the identity route: per (community, client address), per client across
// communities and unknown slugs, Retry-After, shared through Redis, and Redis failing open to
// per-instance limits. Runs on SQLite and PostgreSQL.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { handleIdentityOptions, handleIdentityPost } from "@/lib/api/identity-route";
import { clientKey, RateLimits, rateLimitRedis } from "@/lib/api/rate-limits";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { db } from "@/lib/db";
import { errorResponseSchema } from "@/lib/identity/contract";
import { resetDb } from "../helpers/db";
import { startRedis, type PrivateRedis } from "../helpers/redis";
import { startIdentityServer } from "../helpers/identity-server";

const ORIGIN = "https://shop.example.com";

async function community(slug: string, rate_limit_per_minute: number) {
  await importCommunityConfig(null, {
    version: 1,
    community: { name: slug, slug, allowed_origins: [ORIGIN], rate_limit_per_minute },
  });
}

async function post(limits: RateLimits, client: string | null, slug = "acme", headers: Record<string, string> = {}) {
  const res = await handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${slug}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: '{"identity":{}}',
    }),
    slug,
    { client, limits },
  );
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    headers: res.headers,
    body: (await res.json()) as unknown,
  };
}

const statuses = async (n: number, send: () => Promise<{ status: number }>) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
};

beforeEach(async () => {
  await resetDb();
  await community("acme", 5);
  await community("other", 5);
});

describe("per (community, client address)", () => {
  it("allows exactly rate_limit_per_minute POSTs, then 429 rate_limited with Retry-After, per client and per community", async () => {
    const limits = new RateLimits({ perClient: 0 });
    expect(await statuses(6, () => post(limits, "203.0.113.1"))).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await post(limits, "203.0.113.1", "acme", { origin: ORIGIN });
    expect(limited.status).toBe(429);
    expect(errorResponseSchema.parse(limited.body).error.code).toBe("rate_limited");
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    // A browser may read it: CORS headers on the 429, Retry-After exposed.
    expect(limited.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(limited.headers.get("access-control-expose-headers")).toBe("Retry-After");

    expect((await post(limits, "203.0.113.2")).status).toBe(200); // another visitor
    expect((await post(limits, "203.0.113.1", "other")).status).toBe(200); // another community
    // Nothing was stored for the refused requests: 5 + 1 + 1 anonymous identities.
    expect(await db().identity.count()).toBe(7);
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped address as IPv4", async () => {
    expect(clientKey("2001:db8:1:2:aaaa::1")).toBe(clientKey("2001:db8:1:2:ffff::9"));
    expect(clientKey("2001:db8:1:2::1")).not.toBe(clientKey("2001:db8:1:3::1"));
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey(null)).toBe("unknown");
    const limits = new RateLimits({ perClient: 0 });
    const rotating = await statuses(6, async () =>
      post(limits, `2001:db8:1:2:${Math.floor(Math.random() * 0xffff).toString(16)}::1`),
    );
    expect(rotating).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("takes a changed limit into account, and 0 turns it off", async () => {
    const limits = new RateLimits({ perClient: 0 });
    await community("acme", 0);
    expect(await statuses(20, () => post(limits, "203.0.113.1"))).toEqual(Array(20).fill(200));
  });
});

describe("per client address, across communities and unknown slugs", () => {
  it("caps every request of one address to the route, found or not, POST or OPTIONS", async () => {
    const limits = new RateLimits({ perClient: 4 });
    const options = (slug: string) =>
      handleIdentityOptions(
        new Request("http://vouch.test/x", { method: "OPTIONS", headers: { origin: ORIGIN } }),
        slug,
        { client: "198.51.100.9", limits },
      );
    expect((await post(limits, "198.51.100.9", "acme")).status).toBe(200);
    expect((await post(limits, "198.51.100.9", "no-such-community")).status).toBe(404);
    expect((await post(limits, "198.51.100.9", "NOT A SLUG")).status).toBe(404);
    expect((await options("other")).status).toBe(204);
    const capped = await post(limits, "198.51.100.9", "other");
    expect(capped.status).toBe(429);
    expect(capped.body).toMatchObject({ error: { code: "rate_limited" } });
    expect((await options("acme")).status).toBe(429);
    // A capped browser call to a community whose configuration is cached: still readable by the page.
    const fromPage = await post(limits, "198.51.100.9", "acme", { origin: ORIGIN });
    expect(fromPage.status).toBe(429);
    expect(fromPage.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(Number(fromPage.retryAfter)).toBeGreaterThanOrEqual(1);
    const fromElsewhere = await post(limits, "198.51.100.9", "acme", { origin: "https://evil.example" });
    expect(fromElsewhere.status).toBe(429);
    expect(fromElsewhere.headers.get("access-control-allow-origin")).toBeNull();
    expect((await post(limits, "198.51.100.10", "acme")).status).toBe(200);
  });
});

describe("Retry-After", () => {
  it("is honoured: after that many seconds the same client is served again", async () => {
    const limits = new RateLimits({ perClient: 0, windowSeconds: 2 });
    expect(await statuses(6, () => post(limits, "203.0.113.1"))).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await post(limits, "203.0.113.1");
    const wait = Number(limited.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, wait * 1000 + 50));
    expect((await post(limits, "203.0.113.1")).status).toBe(200);
  });
});

describe("shared through Redis", () => {
  let redis: PrivateRedis;
  const clients: Redis[] = [];
  const connect = (url: string) => {
    const c = rateLimitRedis(url);
    clients.push(c);
    return c;
  };
  const ready = (c: Redis) =>
    c.status === "ready" ? Promise.resolve() : new Promise<void>((r) => c.once("ready", () => r()));
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  it("gives two instances one budget", async () => {
    const prefix = `t${Date.now()}`;
    const [a, b] = [connect(redis.url), connect(redis.url)];
    await Promise.all([ready(a), ready(b)]);
    const one = new RateLimits({ perClient: 0, redis: a, prefix });
    const two = new RateLimits({ perClient: 0, redis: b, prefix });
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await post(i % 2 ? two : one, "203.0.113.1")).status);
    expect(seen).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await post(one, "203.0.113.1")).status).toBe(429);
    expect(
      Number(
        await a.get(
          `${prefix}:community:${(await db().community.findUniqueOrThrow({ where: { slug: "acme" } })).id}|203.0.113.1`,
        ),
      ),
    ).toBe(7);
  });

  it("gives two real identity-server processes one budget", async () => {
    const started: ChildProcess[] = [];
    try {
      const urls: string[] = [];
      for (let i = 0; i < 2; i++) {
        const proc = await startIdentityServer(0, { VOUCH_REDIS_URL: redis.url });
        started.push(proc);
        urls.push(`http://127.0.0.1:${proc.port}/api/v1/communities/acme/identity`);
      }
      const seen: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await fetch(urls[i % 2]!, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"identity":{}}',
        });
        seen.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      // acme allows 5 a minute per address: the two processes count together.
      expect(seen).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      for (const p of started) p.kill("SIGTERM");
    }
  }, 60_000);

  it("falls back to each instance's own limits when Redis is unreachable, refusing nothing because of it", async () => {
    const dead = connect("redis://127.0.0.1:1");
    const limits = new RateLimits({ perClient: 0, redis: dead, prefix: "dead" });
    expect(await statuses(6, () => post(limits, "203.0.113.1"))).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await post(limits, "203.0.113.2")).status).toBe(200);
  });

  it("keeps answering when Redis stops mid-run, then counts on its own", async () => {
    const own = await startRedis();
    const c = connect(own.url);
    await ready(c);
    const limits = new RateLimits({ perClient: 0, redis: c, prefix: "mid" });
    await community("acme", 10);
    expect(await statuses(3, () => post(limits, "203.0.113.1"))).toEqual([200, 200, 200]);
    await own.stop();
    // Every request answered (no 5xx, no hang); this instance's own count starts afresh at the failure.
    expect(await statuses(11, () => post(limits, "203.0.113.1"))).toEqual([...Array(10).fill(200), 429]);
  });
});
