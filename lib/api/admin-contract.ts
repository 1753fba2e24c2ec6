// The admin API's contract (docs/admin-api.md) as zod schemas: the routes parse requests with them, the tests
// check real responses against them, and the OpenAPI 3.1 document (`/api/v1/admin/openapi.json`,
// rendered on /docs/api) is generated from them. No framework imports.
import { z } from "zod";
import { configJwtKeySchema } from "../validations/community-config";
import { signedIdentitiesSchema } from "../validations/community-settings";
import { JWT_ALGORITHMS } from "../identity/vocabulary";
import { SUBSCRIBABLE_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "../webhooks/events";

const instant = z.string().meta({ format: "date-time" });

export const communityListSchema = z.strictObject({
  communities: z.array(
    z.strictObject({
      slug: z.string(),
      name: z.string(),
      signed_identities: signedIdentitiesSchema,
      updated_at: instant,
    }),
  ),
});

export const importSummarySchema = z.strictObject({
  imported: z.strictObject({
    slug: z.string(),
    created: z.boolean(),
    keys: z.strictObject({
      added: z.array(z.string()),
      replaced: z.array(z.string()),
      kept: z.array(z.string()),
      removed: z.array(z.string()),
    }),
    customFields: z.number().int(),
    mappings: z.number().int(),
  }),
});

/** POST …/keys: one key as in the configuration document; an HS256 key without `secret` gets a generated one. */
export const keyCreateBodySchema = configJwtKeySchema;

export const keyCreatedSchema = z.strictObject({
  key: z.strictObject({
    kid: z.string(),
    algorithm: z.enum(JWT_ALGORITHMS),
    fingerprint: z.string().nullable().meta({ description: "SHA-256 of the public key (SPKI); null for HS256." }),
    expires_at: instant.nullable(),
    created_at: instant,
  }),
  secret: z.string().optional().meta({ description: "Only when Vouch generated the HS256 secret: shown this once." }),
});

export const identityDocumentSchema = z.strictObject({
  uuid: z.string(),
  automated_uuid: z.boolean(),
  verified: z.boolean(),
  kid: z.string().nullable().meta({ description: "The key that verified it." }),
  fields: z.record(z.string(), z.unknown()),
  custom_fields: z.record(z.string(), z.unknown()),
  extra_values: z
    .record(z.string(), z.unknown())
    .meta({ description: "The raw extra values sent (strings, numbers, booleans, null)." }),
  sources: z
    .record(z.string(), z.unknown())
    .meta({ description: 'Where each value came from: "attribute", "uuid", or the extra value it was mapped from.' }),
  created_at: instant,
  updated_at: instant.meta({
    description: "When the stored data last changed (an identical request changes nothing).",
  }),
  last_seen_at: instant.meta({
    description: "When the visitor was last seen: with each change, else refreshed at most every 10 minutes.",
  }),
});

export const erasureSchema = z.strictObject({
  identities_deleted: z
    .number()
    .int()
    .meta({ description: "1 when an identity was stored for this uuid, 0 when it was only ever refused." }),
  log_entries_deleted: z.number().int().meta({ description: "Verification-log entries recorded for this uuid." }),
});

export const uuidRevocationSchema = z.strictObject({
  uuid: z.string(),
  revoked_at: instant.meta({
    description: "Tokens for this uuid issued before this instant (or without iat) are refused.",
  }),
  identity_stored: z
    .boolean()
    .meta({ description: "false: no identity is stored for this uuid yet; the revocation applies when it comes." }),
  identity_unverified: z.boolean().meta({ description: "The stored identity was verified and is not any more." }),
});

export const communityRevocationSchema = z.strictObject({
  revoked_at: instant.meta({ description: "Every token of the community issued before this instant is refused." }),
  identities_unverified: z.number().int().meta({ description: "Verified identities made unverified." }),
});

export const identityPageSchema = z.strictObject({
  identities: z.array(identityDocumentSchema),
  next_cursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last." }),
});

export const statsQuerySchema = z.object({
  window: z.enum(["24h", "7d"], 'window: "24h" or "7d"').default("24h"),
});

export const statsSchema = z.strictObject({
  window: z.enum(["24h", "7d"]),
  accepted_unsigned: z.number().int(),
  accepted_verified: z.number().int(),
  refusals: z.array(z.strictObject({ code: z.string(), count: z.number().int() })),
  hours: z.array(z.strictObject({ hour: instant, counts: z.record(z.string(), z.number().int()) })),
});

export const adminErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum([
      "unauthorized",
      "forbidden",
      "not_found",
      "method_not_allowed",
      "invalid_config",
      "invalid_request",
      "conflict",
      "unavailable",
    ]),
    message: z.string(),
    errors: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: "422: every problem, each at its JSON path." }),
  }),
});

// ---- Webhooks (docs/reference.md, webhooks) ----

export const webhookEndpointSchema = z.strictObject({
  id: z.string().meta({ description: "ep_…" }),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(SUBSCRIBABLE_EVENT_TYPES)),
  enabled: z.boolean(),
  disabled_reason: z
    .string()
    .nullable()
    .meta({ description: "Why it is disabled: by an administrator, `answered 410 Gone`, or 5 days of failures." }),
  failing_since: instant.nullable().meta({ description: "The first failed attempt since the last success." }),
  previous_secret_until: instant
    .nullable()
    .meta({ description: "After a rotation: the previous secret signs beside the new one until then." }),
  created_at: instant,
  attempts_24h: z.number().int(),
  succeeded_24h: z.number().int(),
  last_attempt: z.strictObject({ at: instant, ok: z.boolean(), status: z.number().int().nullable() }).nullable(),
  pending: z.number().int().meta({ description: "Messages waiting for their next attempt." }),
});

export const webhookListSchema = z.strictObject({ webhooks: z.array(webhookEndpointSchema) });

export const webhookCreatedSchema = z.strictObject({
  webhook: webhookEndpointSchema,
  secret: z.string().meta({ description: "The signing secret (whsec_…): shown this once." }),
});

export const webhookRotatedSchema = z.strictObject({
  secret: z.string().meta({ description: "The new signing secret (whsec_…): shown this once." }),
  previous_secret_until: instant,
});

export const webhookTestSchema = z.strictObject({ message_id: z.string() });

export const webhookMessagesQuerySchema = z.strictObject({
  limit: z.coerce
    .number("limit: a number")
    .int("limit: a whole number")
    .min(1, "limit: 1 to 200")
    .max(200, "limit: 1 to 200")
    .default(50),
  before: z.string().optional().meta({ description: "A message id: the page of messages older than it." }),
});

export const webhookMessagesSchema = z.strictObject({
  messages: z.array(
    z.strictObject({
      id: z.string().meta({ description: "msg_…: the webhook-id header of every attempt." }),
      type: z.enum(WEBHOOK_EVENT_TYPES),
      status: z.enum(["pending", "delivered", "failed"]),
      attempt_count: z.number().int(),
      next_attempt_at: instant.nullable(),
      created_at: instant,
      delivered_at: instant.nullable(),
      payload: z.unknown().meta({ description: 'The body sent: {"type", "timestamp", "data"}.' }),
      attempts: z.array(
        z.strictObject({
          at: instant,
          status: z.number().int().nullable().meta({ description: "null: no answer (refused, timed out, blocked)." }),
          ok: z.boolean(),
          latency_ms: z.number().int(),
          excerpt: z.string().meta({ description: "The first KiB of the answer, or why there was none." }),
        }),
      ),
    }),
  ),
});
