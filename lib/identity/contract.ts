// The identity route's public contract as zod schemas: the source of the OpenAPI document, and what
// the tests check real responses against.
import { z } from "zod";
import { ERROR_MESSAGE, ERROR_STATUS, type ErrorCode } from "./codes";
import { unsignedIdentitySchema } from "./data";
import { MAX_TOKEN_BYTES } from "./token";
import { SKIP_REASONS, SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from "./vocabulary";

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const unsignedRequestSchema = z.strictObject({
  identity: unsignedIdentitySchema.meta({
    description: "Unsigned identity; every attribute optional ({} = anonymous).",
  }),
});
export const signedRequestSchema = z.strictObject({
  // The size is documented here and enforced by the verifier, which answers token_malformed (docs/reference.md step 1).
  signed_identity: z.string("must be a string (a compact JWT)").meta({
    maxLength: MAX_TOKEN_BYTES,
    description:
      "Compact JWT (HS256, RS256, ES256 or EdDSA) whose claims are the attributes, plus exp (≥ 1 h ahead), kid in the header.",
  }),
});
/** The request body (docs/reference.md): what the route parses, and what the OpenAPI document is generated from. */
export const identityRequestSchema = z.union([unsignedRequestSchema, signedRequestSchema]);
export type IdentityRequest = z.output<typeof identityRequestSchema>;

export const identityResponseSchema = z.strictObject({
  identity: z.strictObject({
    uuid: z.string(),
    automated_uuid: z.boolean(),
    verified: z.boolean(),
    kid: z.string().nullable(),
    fields: z.record(z.string(), z.string()),
    custom_fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
    extra_values: z.record(z.string(), scalar),
  }),
  skipped: z.array(
    z.strictObject({
      target: z.string(),
      reason: z.enum(SKIP_REASONS),
    }),
  ),
  expires_at: z
    .number()
    .int()
    .nullable()
    .meta({ description: "The token's exp (seconds since epoch); null for unsigned identities." }),
});

export const errorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z
      .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
      .meta({ description: "The contract: stable, machine-readable." }),
    message: z.string().meta({ description: "For humans; may change." }),
  }),
});

export function openApiDocument(serverUrl: string) {
  const schema = (s: z.ZodType, io: "input" | "output") =>
    z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][])
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  const errorResponses = Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((c) => `\`${c}\`: ${ERROR_MESSAGE[c]}`).join("\n\n"),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        ...(status === 429
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds to wait before retrying (per client address and minute).",
                  schema: { type: "integer", minimum: 1 },
                },
              },
            }
          : {}),
      },
    ]),
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "Vouch identity route",
      version: "1",
      description:
        "Chat widgets register the visitor's identity: unsigned (a JSON object) or signed (a JWT minted by the website's backend). " +
        "The identity is checked against the community's configuration and returned as agents will see it.",
    },
    servers: [{ url: serverUrl }],
    paths: {
      "/api/v1/communities/{slug}/identity": {
        parameters: [
          {
            name: "slug",
            in: "path",
            required: true,
            description: "The community's public identifier.",
            schema: { type: "string", minLength: SLUG_MIN, maxLength: SLUG_MAX, pattern: SLUG_PATTERN.source },
          },
        ],
        post: {
          operationId: "registerIdentity",
          summary: "Register a visitor identity",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/IdentityRequest" } } },
          },
          responses: {
            "200": {
              description: "The identity this request established.",
              content: { "application/json": { schema: { $ref: "#/components/schemas/IdentityResponse" } } },
            },
            ...errorResponses,
          },
        },
        options: {
          operationId: "identityPreflight",
          summary: "CORS preflight (allowed origins only)",
          responses: {
            "204": { description: "Allowed." },
            "403": { description: "Origin not allowed." },
            "404": { description: "No such community." },
            "429": { description: "Rate limited." },
          },
        },
      },
    },
    components: {
      schemas: {
        IdentityRequest: schema(identityRequestSchema, "input"),
        IdentityResponse: schema(identityResponseSchema, "output"),
        Error: schema(errorResponseSchema, "output"),
      },
    },
  };
}
