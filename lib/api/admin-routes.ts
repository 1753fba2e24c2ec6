// The admin API (docs/admin-api.md) under /api/v1/admin/, on web Request/Response: a Bearer token (never cookies,
// so no CSRF), then the same data-layer calls as the console and the CLI — the role check and the audit
// entry (naming the token) happen there. The identity route's error envelope; 422 lists every problem with its path.
// No framework imports.
import { z } from "zod";
import { authenticateApiToken } from "../dal/api-tokens";
import { communityIdOf, listCommunities } from "../dal/communities";
import { exportCommunityConfig, importCommunityConfig } from "../dal/community-config";
import { addJwtKey, deleteJwtKey, generateHmacSecret } from "../dal/jwt-keys";
import { outcomeSummary } from "../dal/telemetry-queries";
import { eraseIdentity } from "../dal/erasure";
import { getIdentity, identityDocument, listIdentityPage } from "../dal/identities";
import {
  communityListSchema,
  communityRevocationSchema,
  erasureSchema,
  identityDocumentSchema,
  identityPageSchema,
  importSummarySchema,
  keyCreateBodySchema,
  keyCreatedSchema,
  statsQuerySchema,
  statsSchema,
  uuidRevocationSchema,
  webhookCreatedSchema,
  webhookEndpointSchema,
  webhookListSchema,
  webhookMessagesQuerySchema,
  webhookMessagesSchema,
  webhookRotatedSchema,
  webhookTestSchema,
} from "./admin-contract";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  listWebhookMessages,
  redeliverMessage,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhookEndpoint,
  type WebhookEndpointDto,
  type WebhookMessageDto,
} from "../dal/webhooks";
import { webhookCreateSchema, webhookUpdateSchema } from "../validations/webhook";
import { revokeCommunityTokens, revokeIdentity } from "../dal/revocations";
import { adminOpenApiDocument, type AdminRoute } from "./admin-openapi";
import { classifyError, ConfigValidationError, DomainError, HTTP_STATUS, type Problem } from "../errors";
import { canManage, type Actor } from "../authz";
import { communityConfigSchema } from "../validations/community-config";
import { identitySearchSchema } from "../validations/identity-search";
import type { JwtKeyCreateInput } from "../validations/jwt-key";
import type { SignedIdentityMode } from "../identity/vocabulary";
import { jsonAnswer, methodNotAllowed, notFound, unexpected } from "./answers";
import { publicOrigin } from "../public-origin";

export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

const json = jsonAnswer;
const error = (status: number, code: string, message: string, extra: object = {}) =>
  json(
    status,
    { error: { code, message, ...extra } },
    status === 401 ? { "WWW-Authenticate": 'Bearer realm="vouch-admin"' } : {},
  );

const UNAUTHORIZED: Record<string, string> = {
  missing: "Send an API token as Authorization: Bearer <token>.",
  unknown: "This API token is not known.",
  revoked: "This API token was revoked.",
  expired: "This API token has expired.",
};

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_ADMIN_BODY_BYTES)
    throw new DomainError("invalid", "The body is larger than 256 KiB");
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError("invalid", "The body is not valid JSON");
  }
}

/** Maps what the data layer throws onto the envelope. */
/** Any error as the error envelope, through the one classification (lib/errors.ts classifyError). */
function failure(err: unknown): Response {
  const c = classifyError(err);
  if (!c) return unexpected(err, "admin API");
  if (c.kind !== "invalid") return error(HTTP_STATUS[c.kind], c.kind, c.message);
  const errors = c.problems.map((p) => ({ path: p.path || "(body)", message: p.message })) satisfies Problem[];
  return error(422, c.document ? "invalid_config" : "invalid_request", c.message, { errors });
}

type Handler = (actor: Actor, request: Request, params: string[]) => Promise<Response>;
type Route = AdminRoute<Handler>;

const parseQuery = <S extends z.ZodObject>(schema: S, request: Request): z.output<S> =>
  schema.parse(Object.fromEntries(new URL(request.url).searchParams));

export const ADMIN_ROUTES: Route[] = [
  {
    path: "communities",
    methods: {
      GET: {
        operationId: "listCommunities",
        summary: "List the communities",
        role: "viewer",
        ok: [200, communityListSchema],
        errors: [],
        handler: async (actor) =>
          json(200, {
            communities: (await listCommunities(actor)).map((c) => ({
              slug: c.slug,
              name: c.name,
              signed_identities: c.signedIdentities as SignedIdentityMode,
              updated_at: c.updatedAt.toISOString(),
            })),
          } satisfies z.input<typeof communityListSchema>),
      },
    },
  },
  {
    path: "communities/{slug}/config",
    methods: {
      GET: {
        operationId: "getConfig",
        summary: "Export the configuration (the configuration document, never a secret)",
        role: "viewer",
        ok: [200, communityConfigSchema],
        errors: [404],
        handler: async (actor, _req, [slug]) => json(200, await exportCommunityConfig(actor, slug!)),
      },
      PUT: {
        operationId: "putConfig",
        summary: "Apply a configuration document (the import: all or nothing; the slug must be the path's)",
        role: "admin",
        body: communityConfigSchema,
        ok: [200, importSummarySchema],
        errors: [403, 422],
        handler: async (actor, req, [slug]) => {
          const doc = await readJson(req);
          const docSlug = (doc as { community?: { slug?: unknown } })?.community?.slug;
          if (docSlug !== slug) {
            throw new ConfigValidationError([
              { path: "community.slug", message: `Must be "${slug}", the community in the address` },
            ]);
          }
          const summary = await importCommunityConfig(actor, doc);
          return json(200, { imported: summary } satisfies z.input<typeof importSummarySchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/keys",
    methods: {
      POST: {
        operationId: "addKey",
        summary: "Add a JWT key (an HS256 key without a secret gets a generated one, returned once)",
        role: "admin",
        body: keyCreateBodySchema,
        ok: [201, keyCreatedSchema],
        errors: [403, 404, 409, 422],
        handler: async (actor, req, [slug]) => {
          const body = keyCreateBodySchema.parse(await readJson(req));
          const generated = body.algorithm === "HS256" && body.secret === undefined ? generateHmacSecret(actor) : null;
          const input = (generated ? { ...body, secret: generated } : body) as JwtKeyCreateInput;
          const key = await addJwtKey(actor, slug!, input);
          return json(201, {
            key: {
              kid: key.kid,
              algorithm: key.algorithm,
              fingerprint: key.fingerprint,
              expires_at: key.expiresAt?.toISOString() ?? null,
              created_at: key.createdAt.toISOString(),
            },
            ...(generated ? { secret: generated } : {}),
          } satisfies z.input<typeof keyCreatedSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/keys/{kid}",
    methods: {
      DELETE: {
        operationId: "deleteKey",
        summary: "Delete a JWT key (tokens naming it are refused at once)",
        role: "admin",
        ok: [204, null],
        errors: [403, 404, 422],
        handler: async (actor, _req, [slug, kid]) => {
          await deleteJwtKey(actor, slug!, kid!);
          return new Response(null, { status: 204 });
        },
      },
    },
  },
  {
    path: "communities/{slug}/identities",
    methods: {
      GET: {
        operationId: "listIdentities",
        summary: "List identities, newest first (search by uuid, e-mail or name; verified or not)",
        role: "viewer",
        query: identitySearchSchema,
        ok: [200, identityPageSchema],
        errors: [404, 422],
        handler: async (actor, req, [slug]) => {
          const page = await listIdentityPage(actor, slug!, parseQuery(identitySearchSchema, req));
          return json(200, {
            identities: page.identities.map(identityDocument),
            next_cursor: page.nextCursor,
          } satisfies z.input<typeof identityPageSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/identities/{uuid}",
    methods: {
      GET: {
        operationId: "exportIdentity",
        summary: "Export one identity: every stored attribute and where it came from",
        role: "viewer",
        ok: [200, identityDocumentSchema],
        errors: [404],
        handler: async (actor, _req, [slug, uuid]) =>
          json(
            200,
            identityDocument(await getIdentity(actor, slug!, uuid!)) satisfies z.input<typeof identityDocumentSchema>,
          ),
      },
      DELETE: {
        operationId: "eraseIdentity",
        summary:
          "Erase one visitor: its identity and every verification-log entry recorded for its uuid, also when it was only ever refused",
        role: "admin",
        ok: [200, erasureSchema],
        errors: [403, 404],
        handler: async (actor, _req, [slug, uuid]) => {
          const erased = await eraseIdentity(actor, slug!, uuid!);
          return json(200, {
            identities_deleted: erased.identities,
            log_entries_deleted: erased.logEntries,
          } satisfies z.input<typeof erasureSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/identities/{uuid}/revoke",
    methods: {
      POST: {
        operationId: "revokeIdentity",
        summary:
          "Sign one visitor out everywhere: its tokens issued before now are refused token_revoked, its identity unverified",
        role: "admin",
        ok: [200, uuidRevocationSchema],
        errors: [403, 404, 422],
        handler: async (actor, _req, [slug, uuid]) => {
          const r = await revokeIdentity(actor, slug!, uuid!);
          return json(200, {
            uuid: uuid!,
            revoked_at: r.revokedAt.toISOString(),
            identity_stored: r.identityStored,
            identity_unverified: r.wasVerified,
          } satisfies z.input<typeof uuidRevocationSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/revoke-tokens",
    methods: {
      POST: {
        operationId: "revokeCommunityTokens",
        summary: "Refuse every token of the community issued before now (after a leaked key or tokens)",
        role: "admin",
        ok: [200, communityRevocationSchema],
        errors: [403, 404],
        handler: async (actor, _req, [slug]) => {
          const r = await revokeCommunityTokens(actor, slug!);
          return json(200, {
            revoked_at: r.revokedAt.toISOString(),
            identities_unverified: r.identitiesUnverified,
          } satisfies z.input<typeof communityRevocationSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/stats",
    methods: {
      GET: {
        operationId: "getStats",
        summary: "Accepted and refused identity requests per hour",
        role: "viewer",
        query: statsQuerySchema,
        ok: [200, statsSchema],
        errors: [404, 422],
        handler: async (actor, req, [slug]) => {
          const { window } = parseQuery(statsQuerySchema, req);
          const s = await outcomeSummary(actor, await communityIdOf(slug!), window === "24h" ? 24 : 7 * 24);
          return json(200, {
            window,
            accepted_unsigned: s.acceptedUnsigned,
            accepted_verified: s.acceptedVerified,
            refusals: s.refusals,
            hours: s.hours.map((h) => ({ hour: h.hour.toISOString(), counts: h.counts })),
          } satisfies z.input<typeof statsSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks",
    methods: {
      GET: {
        operationId: "listWebhooks",
        summary: "List the webhook endpoints with their state, 24-hour success and last attempt",
        role: "viewer",
        ok: [200, webhookListSchema],
        errors: [404],
        handler: async (actor, _req, [slug]) =>
          json(200, { webhooks: (await listWebhookEndpoints(actor, slug!)).map(webhookDocument) }),
      },
      POST: {
        operationId: "addWebhook",
        summary: "Add a webhook endpoint (https; its signing secret is returned once)",
        role: "admin",
        body: webhookCreateSchema,
        ok: [201, webhookCreatedSchema],
        errors: [403, 404, 422],
        handler: async (actor, req, [slug]) => {
          const { endpoint, secret } = await createWebhookEndpoint(
            actor,
            slug!,
            webhookCreateSchema.parse(await readJson(req)),
          );
          return json(201, { webhook: webhookDocument(endpoint), secret } satisfies z.input<
            typeof webhookCreatedSchema
          >);
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks/{id}",
    methods: {
      GET: {
        operationId: "getWebhook",
        summary: "One webhook endpoint",
        role: "viewer",
        ok: [200, webhookEndpointSchema],
        errors: [404],
        handler: async (actor, _req, [slug, id]) =>
          json(200, webhookDocument(await getWebhookEndpoint(actor, slug!, id!))),
      },
      PATCH: {
        operationId: "updateWebhook",
        summary: "Change a webhook endpoint's URL, event types, description, or enable/disable it",
        role: "admin",
        body: webhookUpdateSchema,
        ok: [200, webhookEndpointSchema],
        errors: [403, 404, 422],
        handler: async (actor, req, [slug, id]) =>
          json(
            200,
            webhookDocument(
              await updateWebhookEndpoint(actor, slug!, id!, webhookUpdateSchema.parse(await readJson(req))),
            ),
          ),
      },
      DELETE: {
        operationId: "deleteWebhook",
        summary: "Delete a webhook endpoint with its messages",
        role: "admin",
        ok: [204, null],
        errors: [403, 404],
        handler: async (actor, _req, [slug, id]) => {
          await deleteWebhookEndpoint(actor, slug!, id!);
          return new Response(null, { status: 204 });
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks/{id}/rotate-secret",
    methods: {
      POST: {
        operationId: "rotateWebhookSecret",
        summary: "A new signing secret (returned once); the previous one keeps signing beside it for 24 hours",
        role: "admin",
        ok: [200, webhookRotatedSchema],
        errors: [403, 404],
        handler: async (actor, _req, [slug, id]) => {
          const r = await rotateWebhookSecret(actor, slug!, id!);
          return json(200, {
            secret: r.secret,
            previous_secret_until: r.previousSecretUntil.toISOString(),
          } satisfies z.input<typeof webhookRotatedSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks/{id}/test",
    methods: {
      POST: {
        operationId: "testWebhook",
        summary: "Send a webhook.test event to this endpoint",
        role: "admin",
        ok: [202, webhookTestSchema],
        errors: [403, 404, 409],
        handler: async (actor, _req, [slug, id]) => {
          const { messageId } = await sendTestEvent(actor, slug!, id!);
          return json(202, { message_id: messageId } satisfies z.input<typeof webhookTestSchema>);
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks/{id}/messages",
    methods: {
      GET: {
        operationId: "listWebhookMessages",
        summary: "The endpoint's messages, newest first, each with its attempts",
        role: "viewer",
        query: webhookMessagesQuerySchema,
        ok: [200, webhookMessagesSchema],
        errors: [404, 422],
        handler: async (actor, req, [slug, id]) => {
          const q = parseQuery(webhookMessagesQuerySchema, req);
          const list = await listWebhookMessages(actor, slug!, id!, { limit: q.limit, before: q.before ?? null });
          return json(200, { messages: list.map(webhookMessageDocument) } satisfies z.input<
            typeof webhookMessagesSchema
          >);
        },
      },
    },
  },
  {
    path: "communities/{slug}/webhooks/{id}/messages/{message}/redeliver",
    methods: {
      POST: {
        operationId: "redeliverWebhookMessage",
        summary: "Send a message again (the same webhook-id), whatever happened to it before",
        role: "admin",
        ok: [202, null],
        errors: [403, 404, 409],
        handler: async (actor, _req, [slug, id, message]) => {
          await redeliverMessage(actor, slug!, id!, message!);
          return new Response(null, { status: 202 });
        },
      },
    },
  },
];

/** An endpoint as the API shows it (never its secret). */
export function webhookDocument(w: WebhookEndpointDto): z.input<typeof webhookEndpointSchema> {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events,
    enabled: w.enabled,
    disabled_reason: w.disabledReason,
    failing_since: w.failingSince?.toISOString() ?? null,
    previous_secret_until: w.previousSecretUntil?.toISOString() ?? null,
    created_at: w.createdAt.toISOString(),
    attempts_24h: w.attempts24h,
    succeeded_24h: w.succeeded24h,
    last_attempt: w.lastAttempt
      ? { at: w.lastAttempt.at.toISOString(), ok: w.lastAttempt.ok, status: w.lastAttempt.status }
      : null,
    pending: w.pending,
  };
}

/** A message with its attempts as the API shows it. */
export function webhookMessageDocument(
  m: WebhookMessageDto,
): z.input<typeof webhookMessagesSchema>["messages"][number] {
  let payload: unknown;
  try {
    payload = JSON.parse(m.payload);
  } catch {
    payload = m.payload;
  }
  return {
    id: m.id,
    type: m.type as z.input<typeof webhookMessagesSchema>["messages"][number]["type"],
    status: m.status as "pending" | "delivered" | "failed",
    attempt_count: m.attemptCount,
    next_attempt_at: m.nextAttemptAt?.toISOString() ?? null,
    created_at: m.createdAt.toISOString(),
    delivered_at: m.deliveredAt?.toISOString() ?? null,
    payload,
    attempts: m.attempts.map((a) => ({
      at: a.at.toISOString(),
      status: a.status,
      ok: a.ok,
      latency_ms: a.latencyMs,
      excerpt: a.excerpt,
    })),
  };
}

/** The OpenAPI 3.1 document of this API (served at /api/v1/admin/openapi.json, rendered on /docs/api). */
export const adminOpenApi = (serverUrl: string) => adminOpenApiDocument(ADMIN_ROUTES, serverUrl);

/** Each route's path template as a pattern: one segment per {parameter}. */
const matchers = ADMIN_ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.path.replace(/\{[a-z]+\}/g, "([^/]+)")}$`),
}));

/** `path`: the segments after /api/v1/admin/. */
export async function handleAdmin(request: Request, path: string[]): Promise<Response> {
  const joined = path.join("/");
  if (joined === "openapi.json") {
    if (request.method !== "GET") return methodNotAllowed(["GET"]);
    return json(200, adminOpenApi(publicOrigin(new URL(request.url).origin)));
  }
  const match = matchers.find((m) => m.pattern.test(joined));
  if (!match) return notFound();
  const operation = match.route.methods[request.method];
  if (!operation) return methodNotAllowed(Object.keys(match.route.methods));
  const bearer = /^Bearer (\S+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!bearer) return error(401, "unauthorized", UNAUTHORIZED.missing!);
  try {
    const auth = await authenticateApiToken(bearer);
    if (!auth.ok) return error(401, "unauthorized", UNAUTHORIZED[auth.reason]!);
    // The route table's role is enforced here, before any handler runs (the data layer checks again).
    if (operation.role === "admin" && !canManage(auth.actor))
      return error(403, "forbidden", "This operation needs an admin token; this one is a viewer's.");
    const params = match.pattern.exec(joined)!.slice(1); // (already decoded by the router)
    return await operation.handler(auth.actor, request, params);
  } catch (err) {
    return failure(err);
  }
}
