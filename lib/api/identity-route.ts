// POST/OPTIONS /api/v1/communities/{slug}/identity (docs/reference.md). The route reads an `IdentityCall` and
// returns an `Answer` (plain data): the node:http door (lib/api/node-server.ts: no Request, Headers, web
// stream or Response per call) serves it in every mode — npm start, npm run dev, the identity server —
// and web Request/Response wrap it for the tests (`handleIdentityPost`). Cheap checks first (the
// client's rate cap, the slug rule, media type, declared size), then the cached configuration,
// origin, the community's rate limit, the body, the pure decision, one write.
import { ERROR_STATUS, identityError, type ErrorCode, type IdentityError } from "../identity/codes";
import type { RuntimeConfig } from "../identity/config";
import { identityResponse, processIdentityRequest } from "../identity/process";
import { cachedRuntimeConfig, freshRuntimeConfig, getRuntimeConfig } from "../dal/runtime-config";
import { storeIdentity } from "../dal/identity-writes";
import { recordKeyUse, recordOutcome, recordRefusal } from "../dal/route-telemetry";
import * as metrics from "../metrics";
import { logger } from "../logger";
import { defaultRateLimits, type RateLimits, type RateLimitVerdict } from "./rate-limits";
import { isSlug } from "../identity/vocabulary";
import { uuidSchema } from "../identity/data";

export const MAX_BODY_BYTES = 64 * 1024;

export interface RouteContext {
  /** The client address (TCP peer or trusted X-Forwarded-For entry); null: unknown, one shared bucket. */
  client?: string | null;
  now?: Date;
  /** Defaults to the process's limits (VOUCH_RATE_LIMIT_PER_CLIENT, VOUCH_REDIS_URL). */
  limits?: RateLimits;
}

const baseHeaders = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", Vary: "Origin" };

function corsHeaders(origin: string | null): Record<string, string> {
  // Retry-After exposed so a widget can honour a 429.
  return origin ? { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "Retry-After" } : {};
}

/** What the route reads of a call, whichever server received it. */
export interface IdentityCall {
  /** A request header (lower-case name), or null. */
  header(name: string): string | null;
  /** The body, read up to `max` bytes ("too_large" beyond); a string when it had all arrived already. */
  readBody(max: number): string | Promise<string | "too_large">;
  /** The host the caller addressed, when no Host header says (the web Request's URL). */
  fallbackHost?: string;
}

/** An answer as plain data; `code` ("ok" or the error code) is for the metrics. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
  code: string;
}

function json(status: number, body: unknown, extra: Record<string, string> = {}, code = "ok"): Answer {
  return {
    status,
    headers: { ...baseHeaders, "Content-Type": "application/json; charset=utf-8", ...extra },
    body: JSON.stringify(body),
    code,
  };
}

function errorResponse(err: IdentityError, cors: Record<string, string> = {}): Answer {
  return json(ERROR_STATUS[err.code], { error: { code: err.code, message: err.message } }, cors, err.code);
}

/** Counts the answer for /api/metrics: community (a known one, else "-"), code, latency. */
function observe(method: "POST" | "OPTIONS", slug: string, answer: Answer, startedAt: number) {
  const code = answer.code;
  const community = isSlug(slug) && cachedRuntimeConfig(slug) ? slug : "-";
  metrics.identityRequests.inc({ community, code });
  metrics.identityDuration.observe({ method }, (performance.now() - startedAt) / 1000);
  if (code === "rate_limited") metrics.rateLimited.inc();
  if (code === "unavailable") metrics.databaseErrors.inc();
}
const simpleError = (code: ErrorCode, cors?: Record<string, string>) => errorResponse(identityError(code), cors);

function rateLimited(verdict: Extract<RateLimitVerdict, { ok: false }>, cors: Record<string, string> = {}) {
  const why =
    verdict.scope === "client"
      ? "this address's limit across all communities"
      : "this community's limit per visitor address";
  const err = identityError("rate_limited", `Too many requests (${why}): retry in ${verdict.retryAfterSeconds} s.`);
  return errorResponse(err, { ...cors, "Retry-After": String(verdict.retryAfterSeconds) });
}

/** null: no Origin header (not a browser) — allowed; signatures, not CORS, are the boundary. */
function originAllowed(config: RuntimeConfig, origin: string | null): boolean {
  return origin === null || config.anyOrigin || config.allowedOrigins.has(origin);
}

/** From the cache when it is fresh (no promise on the hot path), else read. */
function loadConfig(slug: string): RuntimeConfig | null | Promise<RuntimeConfig | null | "unavailable"> {
  const fresh = freshRuntimeConfig(slug);
  if (fresh !== undefined) return fresh;
  return getRuntimeConfig(slug).catch((err: unknown) => {
    logger.error({ err, slug }, "identity route: configuration unavailable");
    return "unavailable" as const;
  });
}

/** A web Request as a call (the tests). */
function webCall(request: Request): IdentityCall {
  return {
    header: (name) => request.headers.get(name),
    get fallbackHost() {
      return new URL(request.url).host; // (read only when a request has no Host header)
    },
    async readBody(max) {
      if (!request.body) return "";
      const reader = request.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > max) {
          await reader.cancel().catch(() => {});
          return "too_large";
        }
        chunks.push(value);
      }
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** An answer as a web Response. */
export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

const names = (o: object, max: number) =>
  Object.keys(o)
    .slice(0, max)
    .map((k) => (k.length > 64 ? `${k.slice(0, 63)}…` : k));

/** A token's header or claims as a plain object, unverified (for the log only), or null. */
function decodeSegment(segment: string | undefined): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment ?? "", "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A uuid a visitor can have (uuidSchema), else null: what the log keeps beside an entry for erasure. */
const erasableUuid = (v: unknown): string | null => (uuidSchema.safeParse(v).success ? (v as string) : null);

/**
 * What the verification log keeps of a refused request — an excerpt (never a signature, never a secret)
 * and the uuid it named, the token's `uuid` claim (unverified: the entry is about that visitor whether
 * or not the signature held) or the unsigned identity's, stored beside the entry so erasure finds it
 * exactly. The token is decoded once, for both.
 */
function describeRefused(body: unknown): { excerpt: Record<string, unknown>; uuid: string | null } {
  if (typeof body !== "object" || body === null) return { excerpt: {}, uuid: null };
  const b = body as Record<string, unknown>;
  if (typeof b.signed_identity === "string") {
    const [h, p] = b.signed_identity.split(".");
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    // Visitor-controlled objects: own properties only; values and names cut short (the log row has a
    // byte bound too, see capExcerpt).
    const short = (v: unknown) =>
      typeof v === "string"
        ? v.slice(0, 80)
        : typeof v === "number" || typeof v === "boolean" || v === null
          ? v
          : typeof v;
    const pick = (o: Record<string, unknown> | null, keys: string[]) =>
      o ? Object.fromEntries(keys.filter((k) => Object.hasOwn(o, k)).map((k) => [k, short(o[k])])) : null;
    return {
      excerpt: {
        kind: "signed",
        header: pick(header, ["alg", "kid", "typ", "crit", "jku", "x5u"]),
        claims: pick(claims, ["uuid", "exp", "nbf", "iat", "iss"]),
        claim_names: claims ? names(claims, 30) : null,
        length: b.signed_identity.length,
      },
      uuid: claims ? erasableUuid(claims.uuid) : null,
    };
  }
  if (typeof b.identity === "object" && b.identity !== null)
    return {
      excerpt: { kind: "unsigned", attributes: names(b.identity, 30) },
      uuid: erasableUuid((b.identity as Record<string, unknown>).uuid),
    };
  return { excerpt: { kind: "unknown", properties: names(b, 10) }, uuid: null };
}

/** 403 origin_not_allowed, written to the community's verification log (POST and preflight alike). */
function refuseOrigin(config: RuntimeConfig, origin: string, detail: string, at: Date) {
  recordOutcome(config.communityId, "origin_not_allowed", at);
  recordRefusal({
    communityId: config.communityId,
    code: "origin_not_allowed",
    detail,
    kid: null,
    origin,
    excerpt: {},
    uuid: null,
    at,
  });
  return simpleError("origin_not_allowed");
}

/** The Origin header, or null when absent or same-origin (Vouch's own pages: not a cross-origin call). */
function crossOrigin(call: IdentityCall): string | null {
  const origin = call.header("origin");
  if (!origin) return null;
  // As Next's own server-action check does: the Origin's host against the host the browser addressed.
  const host = call.header("x-forwarded-host") ?? call.header("host") ?? call.fallbackHost;
  try {
    if (new URL(origin).host === host) return null;
  } catch {
    // "null" or garbage: a cross-origin caller like any other
  }
  return origin;
}

/** POST on any server: the answer, counted for the metrics. */
export function identityPost(call: IdentityCall, slug: string, ctx: RouteContext = {}): Promise<Answer> {
  const startedAt = performance.now();
  return answerPost(call, slug, ctx).then((answer) => {
    observe("POST", slug, answer, startedAt);
    return answer;
  });
}

/** OPTIONS (CORS preflight) on any server. */
export async function identityOptions(call: IdentityCall, slug: string, ctx: RouteContext = {}): Promise<Answer> {
  const startedAt = performance.now();
  const answer = await answerOptions(call, slug, ctx);
  observe("OPTIONS", slug, answer, startedAt);
  return answer;
}

/** Web Request/Response around the route (the tests). */
export const handleIdentityPost = async (request: Request, slug: string, ctx: RouteContext = {}) =>
  toResponse(await identityPost(webCall(request), slug, ctx));
export const handleIdentityOptions = async (request: Request, slug: string, ctx: RouteContext = {}) =>
  toResponse(await identityOptions(webCall(request), slug, ctx));

async function answerPost(call: IdentityCall, slug: string, ctx: RouteContext): Promise<Answer> {
  const now = ctx.now ?? new Date();
  const limits = ctx.limits ?? defaultRateLimits();
  const client = ctx.client ?? null;
  const origin = crossOrigin(call);
  const capped = await limits.checkClient(client);
  if (!capped.ok) {
    // No lookup for a capped client; but when this community's configuration is already cached and
    // allows the origin, the browser may read the 429 (and the widget its Retry-After).
    const known = isSlug(slug) ? cachedRuntimeConfig(slug) : null;
    return rateLimited(capped, known && originAllowed(known, origin) ? corsHeaders(origin) : {});
  }
  // Before any lookup: a slug that cannot exist costs nothing and is cached nowhere.
  if (!isSlug(slug)) return simpleError("community_not_found");
  const contentType = call.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) return simpleError("unsupported_media_type");
  if (Number(call.header("content-length") ?? "0") > MAX_BODY_BYTES) return simpleError("payload_too_large");

  const loaded = loadConfig(slug);
  const config = loaded instanceof Promise ? await loaded : loaded; // (await on a value costs a promise)
  if (config === "unavailable") return simpleError("unavailable");
  if (!config) return simpleError("community_not_found");
  if (!originAllowed(config, origin)) {
    // The most common integration mistake: worth a line in the administrators' log.
    return refuseOrigin(config, origin!, `origin ${origin} is not in this community's allowed origins`, now);
  }
  const cors = corsHeaders(origin);
  const limited = await limits.checkCommunity(config.communityId, client, config.rateLimitPerMinute);
  if (!limited.ok) return rateLimited(limited, cors);
  const read = call.readBody(MAX_BODY_BYTES);
  const text = typeof read === "string" ? read : await read;
  if (text === "too_large") return errorResponse(identityError("payload_too_large"), cors);

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return errorResponse(identityError("invalid_body", "The request body is not valid JSON."), cors);
  }

  const refuse = (err: IdentityError, kid?: string | null) => {
    const { excerpt, uuid } = describeRefused(body);
    logger.debug({ slug, code: err.code, kid: kid ?? null, origin }, "identity route: refused");
    recordOutcome(config.communityId, err.code, now);
    recordRefusal({
      communityId: config.communityId,
      code: err.code,
      detail: err.detail ?? err.message,
      kid: kid ?? null,
      origin,
      excerpt,
      uuid,
      at: now,
    });
    return errorResponse(err, cors);
  };

  const result = await processIdentityRequest(config, body, now);
  if (!result.ok) return refuse(result.error, result.kid);

  let stored;
  try {
    stored = await storeIdentity(config.communityId, result.identity, now, config.identityEvents);
  } catch (err) {
    logger.error({ err, slug }, "identity route: store failed");
    return simpleError("unavailable", cors);
  }
  if (!stored.stored)
    return refuse(
      identityError(
        "verified_identity_locked",
        undefined,
        `uuid "${result.identity.uuid.slice(0, 64)}" is verified; unsigned data refused`,
      ),
    );
  if (result.identity.kid) {
    const key = config.keys.get(result.identity.kid);
    if (key) recordKeyUse(key.id, now);
  }
  recordOutcome(config.communityId, result.identity.verified ? "accepted_verified" : "accepted_unsigned", now);
  return json(200, identityResponse(result.identity), cors);
}

async function answerOptions(call: IdentityCall, slug: string, ctx: RouteContext): Promise<Answer> {
  const capped = await (ctx.limits ?? defaultRateLimits()).checkClient(ctx.client ?? null);
  if (!capped.ok) return rateLimited(capped);
  if (!isSlug(slug)) return simpleError("community_not_found");
  const origin = call.header("origin");
  const loaded = loadConfig(slug);
  const config = loaded instanceof Promise ? await loaded : loaded; // (await on a value costs a promise)
  if (config === "unavailable") return simpleError("unavailable");
  if (!config) return simpleError("community_not_found");
  if (!origin) return simpleError("origin_not_allowed");
  if (!originAllowed(config, origin)) {
    // Browsers ask this before a widget's first call, and stop here when refused: log it like a POST.
    const detail = `preflight from origin ${origin}, which is not in this community's allowed origins`;
    return refuseOrigin(config, origin, detail, ctx.now ?? new Date());
  }
  return {
    status: 204,
    headers: {
      ...baseHeaders,
      ...corsHeaders(origin),
      "Access-Control-Allow-Methods": "POST, OPTIONS",
      "Access-Control-Allow-Headers": "Content-Type",
      "Access-Control-Max-Age": "600",
    },
    body: null,
    code: "ok",
  };
}
