// Rate limits of the public identity route (docs/security.md), with rate-limiter-flexible:
//   - per client address across every community and unknown slug (VOUCH_RATE_LIMIT_PER_CLIENT a minute);
//   - per (community, client address): the community's rate_limit_per_minute, for POSTs.
// Fixed one-minute windows. In memory per instance, or shared by every instance through Redis
// (VOUCH_REDIS_URL). If Redis fails or is slow, each instance counts on its own (the library's
// insurance limiter): a request is never refused because Redis is down. No framework imports.
import { Redis } from "ioredis";
import ipaddr from "ipaddr.js";
import { isIPv4 } from "node:net";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "../env";
import { logger } from "../logger";

/** The largest per-community limit a setting may hold (docs/reference.md): one limiter serves every setting. */
const MAX_COMMUNITY_POINTS = 1_000_000;

export type RateLimitVerdict = { ok: true } | { ok: false; scope: "client" | "community"; retryAfterSeconds: number };

export interface RateLimitOptions {
  /** Requests per client address and window across all communities; 0 = no cap. */
  perClient: number;
  /** Window length (a minute; tests shorten it). */
  windowSeconds?: number;
  /** Shared counting when given; null: this instance only. */
  redis?: Redis | null;
  /** Redis key prefix, so tests (and several deployments on one Redis) keep apart. */
  prefix?: string;
}

/**
 * IPv4: the address. IPv6: its /64 — one subscriber usually holds a whole /64, so counting single
 * addresses would let one client rotate through 2^64 of them. null (unknown): one shared bucket.
 */
export function clientKey(address: string | null): string {
  if (!address) return "unknown";
  if (isIPv4(address)) return address; // (dotted decimal without leading zeros: already canonical)
  try {
    const parsed = ipaddr.process(address); // IPv4-mapped IPv6 → IPv4
    if (parsed.kind() === "ipv4") return parsed.toString();
    const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
    return `${parts.join(":")}::/64`;
  } catch {
    return "unknown";
  }
}

const ALLOWED: Promise<RateLimitVerdict> = Promise.resolve({ ok: true });
const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export class RateLimits {
  private readonly perClient: RateLimiterAbstract | null;
  private readonly perCommunity: RateLimiterAbstract;

  constructor(readonly options: RateLimitOptions) {
    const duration = options.windowSeconds ?? 60;
    const make = (name: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ points, duration });
      if (!options.redis) return memory;
      return new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${options.prefix ?? "vouch:rl"}:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.perClient = options.perClient > 0 ? make("client", options.perClient) : null;
    this.perCommunity = make("community", MAX_COMMUNITY_POINTS);
  }

  /** Counts one request of `client` to the identity route, whatever it is for. */
  checkClient(client: string | null): Promise<RateLimitVerdict> {
    if (!this.perClient) return ALLOWED;
    return this.consume(this.perClient, clientKey(client), this.options.perClient, "client");
  }

  /** Counts one POST of `client` to `communityId`, limited to `limit` (0 = no limit) per window. */
  checkCommunity(communityId: string, client: string | null, limit: number): Promise<RateLimitVerdict> {
    if (limit <= 0) return ALLOWED;
    return this.consume(this.perCommunity, `${communityId}|${clientKey(client)}`, limit, "community");
  }

  // (Not async/await: this runs twice per identity request, and each promise costs — see docs/benchmarks.md.)
  private consume(
    limiter: RateLimiterAbstract,
    key: string,
    limit: number,
    scope: "client" | "community",
  ): Promise<RateLimitVerdict> {
    return limiter.consume(key).then(
      (res): RateLimitVerdict =>
        res.consumedPoints > limit ? { ok: false, scope, retryAfterSeconds: retryAfter(res) } : { ok: true },
      (err: unknown): RateLimitVerdict => {
        if (err instanceof RateLimiterRes) return { ok: false, scope, retryAfterSeconds: retryAfter(err) };
        // Neither store answered (should not happen: the memory insurance always does). Never refuse for it.
        logger.warn({ err }, "rate limit: store error; request allowed");
        return { ok: true };
      },
    );
  }
}

/** A Redis client that fails fast rather than queueing or hanging, so the insurance limiter takes over. */
export function rateLimitRedis(url: string): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 250, 2000),
  });
  let healthy = true;
  client.on("error", (err) => {
    if (healthy)
      logger.warn(
        { err: err.message },
        "rate limit: Redis unavailable; each instance counts on its own until it is back",
      );
    healthy = false;
  });
  client.on("ready", () => {
    if (!healthy) logger.info("rate limit: Redis is back; limits are shared again");
    healthy = true;
  });
  return client;
}

let processLimits: RateLimits | undefined;
/** The process's limits, from the environment (VOUCH_RATE_LIMIT_PER_CLIENT, VOUCH_REDIS_URL). */
export function defaultRateLimits(): RateLimits {
  if (!processLimits) {
    const { rateLimitPerClient, redisUrl } = env();
    processLimits = new RateLimits({
      perClient: rateLimitPerClient,
      redis: redisUrl ? rateLimitRedis(redisUrl) : null,
    });
  }
  return processLimits;
}

/**
 * At start-up, before serving: creates the process's limits and gives Redis (when configured) up to
 * `waitMs` to connect, so the first requests already count in the shared budget. A Redis that does not
 * answer in time delays nothing further: the instance starts counting on its own.
 */
export async function prepareRateLimits(waitMs = 2000): Promise<void> {
  const redis = defaultRateLimits().options.redis;
  if (!redis || redis.status === "ready") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      logger.warn("rate limit: Redis not ready at start-up; counting on this instance until it is");
      resolve();
    }, waitMs);
    timer.unref();
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
