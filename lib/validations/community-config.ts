// The configuration-as-code document (docs/cli.md): one community's whole configuration, built from the
// same schemas as the console's forms. Cross-field rules (uniqueness, references, keys required by
// the mode) are checked here too, each issue at its JSON path.
import { z } from "zod";
import { communityNameSchema, slugSchema } from "./community";
import {
  allowedOriginsSchema,
  clockSkewSchema,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  rateLimitPerMinuteSchema,
  identityRetentionDaysSchema,
  DEFAULT_IDENTITY_RETENTION_DAYS,
  signedIdentitiesSchema,
  NO_TOKEN_POLICY,
  tokenPolicySchema,
} from "./community-settings";
import { customFieldSchema } from "./custom-field";
import { hmacSecretSchema, hs256KeySchema, jwksUrlSchema, publicKeySchema } from "./jwt-key";
import { mappingSchema } from "./mapping";
import { ALGORITHM_LIST, customKeyOf } from "../identity/vocabulary";

/** In the document an HS256 key may omit its secret: import then keeps the one stored for that kid. */
export const configJwtKeySchema = z.discriminatedUnion(
  "algorithm",
  [hs256KeySchema.extend({ secret: hmacSecretSchema.optional() }), publicKeySchema],
  { error: `algorithm must be ${ALGORITHM_LIST}` },
);

export const communityConfigSchema = z.strictObject({
  version: z.literal(1, "version must be 1"),
  community: z
    .strictObject({
      name: communityNameSchema,
      slug: slugSchema,
      signed_identities: signedIdentitiesSchema.default("reject"),
      clock_skew_seconds: clockSkewSchema.default(10),
      allowed_origins: allowedOriginsSchema.default([]),
      rate_limit_per_minute: rateLimitPerMinuteSchema.default(DEFAULT_RATE_LIMIT_PER_MINUTE),
      identity_retention_days: identityRetentionDaysSchema.default(DEFAULT_IDENTITY_RETENTION_DAYS),
      jwt_keys: z.array(configJwtKeySchema).max(50, "At most 50 keys").default([]),
      jwks_url: jwksUrlSchema.optional(),
      token_policy: tokenPolicySchema.default(NO_TOKEN_POLICY),
      custom_fields: z.array(customFieldSchema).max(200, "At most 200 custom fields").default([]),
      extra_value_mappings: z.array(mappingSchema).max(200, "At most 200 mappings").default([]),
    })
    .superRefine((c, ctx) => {
      const duplicates = <T>(
        items: T[],
        keyOf: (t: T) => string,
        path: (i: number) => (string | number)[],
        what: string,
      ) => {
        const seen = new Map<string, number>();
        items.forEach((item, i) => {
          const k = keyOf(item);
          if (seen.has(k))
            ctx.addIssue({
              code: "custom",
              path: path(i),
              message: `${what} "${k}" is already used by item ${seen.get(k)}`,
            });
          else seen.set(k, i);
        });
      };
      duplicates(
        c.jwt_keys,
        (k) => k.kid,
        (i) => ["jwt_keys", i, "kid"],
        "Key ID",
      );
      duplicates(
        c.custom_fields,
        (f) => f.key,
        (i) => ["custom_fields", i, "key"],
        "Custom field key",
      );
      duplicates(
        c.extra_value_mappings,
        (m) => m.key,
        (i) => ["extra_value_mappings", i, "key"],
        "Extra value key",
      );
      duplicates(
        c.extra_value_mappings,
        (m) => m.field,
        (i) => ["extra_value_mappings", i, "field"],
        "Destination",
      );
      const fieldKeys = new Set(c.custom_fields.map((f) => f.key));
      c.extra_value_mappings.forEach((m, i) => {
        const key = customKeyOf(m.field);
        if (key !== null && !fieldKeys.has(key)) {
          ctx.addIssue({
            code: "custom",
            path: ["extra_value_mappings", i, "field"],
            message: `No custom field with key "${key}" in custom_fields`,
          });
        }
      });
      if (c.signed_identities !== "reject" && c.jwt_keys.length === 0 && !c.jwks_url) {
        ctx.addIssue({
          code: "custom",
          path: ["signed_identities"],
          message: `"${c.signed_identities}" needs at least one JWT key in jwt_keys, or a jwks_url`,
        });
      }
    }),
});
export type CommunityConfigInput = z.input<typeof communityConfigSchema>;
export type CommunityConfig = z.output<typeof communityConfigSchema>;
