// Rollout insight and metrics (docs/operating.md): hourly outcome counts are exact after a flush — also
// from two instances writing to one database — and /api/metrics moves by exactly what was sent.
import type { ChildProcess } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleIdentityPost } from "@/lib/api/identity-route";
import { metricsResponse } from "@/lib/api/metrics-route";
import { importCommunityConfig } from "@/lib/dal/community-config";
import { flushRouteTelemetry } from "@/lib/dal/route-telemetry";
import { outcomeSummary } from "@/lib/dal/telemetry-queries";
import { invalidateRuntimeConfig } from "@/lib/dal/runtime-config";
import { db } from "@/lib/db";
import { resolveDatabase } from "@/lib/db-url";
import { resetDb } from "../helpers/db";
import { startIdentityServer } from "../helpers/identity-server";
import { nowS, signHs256 } from "../helpers/tokens";

const SECRET = "0123456789abcdef01234567";
const TOKEN = "metrics-token-for-the-tests";
let communityId: string;

beforeEach(async () => {
  await flushRouteTelemetry();
  await resetDb();
  invalidateRuntimeConfig();
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Insight",
      slug: "insight",
      signed_identities: "accept",
      clock_skew_seconds: 10,
      allowed_origins: ["https://shop.example.com"],
      rate_limit_per_minute: 0,
      jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: SECRET }],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
  communityId = (await db().community.findUniqueOrThrow({ where: { slug: "insight" } })).id;
});

// Every request of a test at one instant in the middle of the current hour: the hourly rows cannot be
// split by the hour turning while the test runs (tokens are made an hour or more past either side).
const AT = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_800_000);
const post = (body: unknown, origin?: string, slug = "insight") =>
  handleIdentityPost(
    new Request(`http://vouch.test/api/v1/communities/${slug}/identity`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(origin ? { origin } : {}) },
      body: JSON.stringify(body),
    }),
    slug,
    { now: AT },
  );
const signed = (secret = SECRET) => signHs256(secret, { uuid: `u${Math.random()}`, exp: nowS() + 7200 }, { kid: "k1" }); // ≥ AT + 1 h either way

/** Sends a known mix; returns how many of each were sent. */
async function traffic(send = post) {
  for (let i = 0; i < 3; i++) expect((await send({ identity: { uuid: `anon${i}` } })).status).toBe(200);
  for (let i = 0; i < 5; i++) expect((await send({ signed_identity: await signed() })).status).toBe(200);
  for (let i = 0; i < 4; i++) expect((await send({ signed_identity: await signed("f".repeat(24)) })).status).toBe(401);
  expect((await post({ identity: { uuid: "x" } }, "https://evil.example")).status).toBe(403);
}

describe("hourly outcome counts", () => {
  it("are exact after a flush: accepted unsigned, accepted verified, refusals by code", async () => {
    await traffic();
    await flushRouteTelemetry();
    const s = await outcomeSummary(null, communityId, 24, AT);
    expect(s).toMatchObject({
      acceptedUnsigned: 3,
      acceptedVerified: 5,
      refusals: [
        { code: "bad_signature", count: 4 },
        { code: "origin_not_allowed", count: 1 },
      ],
    });
    expect(s.hours).toHaveLength(1);
    expect(s.hours[0]!.counts).toEqual({
      accepted_unsigned: 3,
      accepted_verified: 5,
      bad_signature: 4,
      origin_not_allowed: 1,
    });
    // A second round adds to the same hourly rows.
    await traffic();
    await flushRouteTelemetry();
    expect(await outcomeSummary(null, communityId, 24, AT)).toMatchObject({
      acceptedUnsigned: 6,
      acceptedVerified: 10,
    });
    // Unknown communities are counted nowhere (nothing a stranger sends grows the table).
    await post({ identity: { uuid: "x" } }, undefined, "no-such-shop");
    await flushRouteTelemetry();
    expect(await db().identityStat.count()).toBe(4);
  });

  const postgres = resolveDatabase().provider === "postgres";
  it.runIf(postgres)("are exact when two instances write to one PostgreSQL", async () => {
    const procs: ChildProcess[] = [];
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const proc = await startIdentityServer();
      procs.push(proc);
      urls.push(`http://127.0.0.1:${proc.port}/api/v1/communities/insight/identity`);
    }
    try {
      const over = (url: string) => async (body: unknown) =>
        new Response(null, {
          status: (
            await fetch(url, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            })
          ).status,
        });
      await Promise.all([traffic(over(urls[0]!)), traffic(over(urls[1]!))]);
    } finally {
      // SIGTERM flushes each instance's buffers before it exits.
      await Promise.all(procs.map((p) => new Promise((resolve) => (p.once("exit", resolve), p.kill("SIGTERM")))));
    }
    await flushRouteTelemetry(); // the two origin refusals this process sent
    expect(await outcomeSummary(null, communityId, 24)).toMatchObject({
      acceptedUnsigned: 6,
      acceptedVerified: 10,
      refusals: [
        { code: "bad_signature", count: 8 },
        { code: "origin_not_allowed", count: 2 },
      ],
    });
  });
});

describe("GET /api/metrics", () => {
  const scrape = async () => {
    const res = await metricsResponse(
      new Request("http://vouch.test/api/metrics", { headers: { authorization: `Bearer ${TOKEN}` } }),
      TOKEN,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    return { text, value };
  };
  afterEach(() => invalidateRuntimeConfig());

  it("exists only with a token, and answers only to it", async () => {
    const get = (auth?: string, token: string | null = TOKEN) =>
      metricsResponse(
        new Request("http://vouch.test/api/metrics", { headers: auth ? { authorization: auth } : {} }),
        token,
      );
    expect((await get(`Bearer ${TOKEN}`, null)).status).toBe(404);
    for (const auth of [undefined, "Bearer wrong-token-of-some-length", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await get(auth);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="vouch-metrics"');
      expect(await res.json()).toEqual({
        error: { code: "unauthorized", message: "Send the metrics token as Authorization: Bearer <token>." },
      });
    }
  });

  it("moves by exactly what was sent: requests by community and code, the latency histogram, process defaults", async () => {
    await post({ identity: { uuid: "warm" } }); // the community is now known to this instance
    const before = await scrape();
    await traffic();
    await post({ identity: { uuid: "x" } }, undefined, "no-such-shop");
    const after = await scrape();
    const delta = (series: string) => after.value(series) - before.value(series);
    expect(delta('vouch_identity_requests_total{community="insight",code="ok"}')).toBe(8);
    expect(delta('vouch_identity_requests_total{community="insight",code="bad_signature"}')).toBe(4);
    expect(delta('vouch_identity_requests_total{community="insight",code="origin_not_allowed"}')).toBe(1);
    expect(delta('vouch_identity_requests_total{community="-",code="community_not_found"}')).toBe(1);
    expect(delta('vouch_identity_request_duration_seconds_count{method="POST"}')).toBe(14);
    // Group commit: every accepted identity is one row of some statement (each statement one commit).
    expect(delta("vouch_identity_write_rows_total")).toBe(8);
    expect(delta("vouch_identity_write_statements_total")).toBeGreaterThanOrEqual(1);
    expect(delta("vouch_identity_write_statements_total")).toBeLessThanOrEqual(8);
    expect(after.text).toMatch(/^vouch_config_cache_lookups_total\{result="hit"\} \d+$/m);
    expect(after.text).toMatch(/^vouch_process_resident_memory_bytes \d+/m);
    expect(after.text).not.toContain("no-such-shop");
  });
});

describe("verification log search", () => {
  it("filters by code, kid, origin and time range (UTC), newest first, 50 a page", async () => {
    const { searchVerificationLog } = await import("@/lib/dal/telemetry-queries");
    const { verificationLogQuerySchema } = await import("@/lib/validations/verification-log");
    const t0 = Date.parse("2027-03-01T00:00:00Z");
    await db().verificationLog.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        communityId,
        code: i % 3 === 0 ? "bad_signature" : "unknown_kid",
        detail: `row ${i}`,
        kid: i % 2 === 0 ? "k1" : "k2",
        origin: i < 100 ? "https://shop.example.com" : "https://other.example",
        excerpt: "{}",
        createdAt: new Date(t0 + i * 60_000),
      })),
    });
    const search = (q: Record<string, string>) =>
      searchVerificationLog(null, communityId, verificationLogQuerySchema.parse(q));
    const all = await search({});
    expect(all.total).toBe(120);
    expect(all.entries.map((e) => e.detail).slice(0, 2)).toEqual(["row 119", "row 118"]);
    expect((await search({ page: "3" })).entries.map((e) => e.detail)).toEqual(
      Array.from({ length: 20 }, (_, i) => `row ${19 - i}`),
    );
    expect((await search({ code: "bad_signature" })).total).toBe(40);
    expect((await search({ code: "bad_signature", kid: "k1" })).total).toBe(20);
    expect((await search({ origin: "https://other.example" })).total).toBe(20);
    const window = await search({ from: "2027-03-01T00:10", to: "2027-03-01T00:19" });
    expect(window.entries.map((e) => e.detail)).toEqual(Array.from({ length: 10 }, (_, i) => `row ${19 - i}`));
    expect(verificationLogQuerySchema.safeParse({ code: "nope" }).error?.issues[0]?.message).toBe(
      "Choose a code from the list",
    );
    expect(verificationLogQuerySchema.safeParse({ from: "yesterday" }).success).toBe(false);
  });
});
