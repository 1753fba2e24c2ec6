import { describe, expect, it } from "vitest";
import { specConfigDocument } from "../../tests/helpers/config";
import { communityConfigSchema } from "./community-config";
import { jsonPath } from "../errors";

const specExample = specConfigDocument;

const pathsOf = (doc: unknown) =>
  communityConfigSchema.safeParse(doc).error?.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`) ?? [];

describe("config document (docs/cli.md)", () => {
  it("accepts the spec's example", () => {
    expect(communityConfigSchema.safeParse(specExample()).success).toBe(true);
  });

  it("fills defaults for a minimal community", () => {
    const parsed = communityConfigSchema.parse({ version: 1, community: { name: "Min", slug: "min" } });
    expect(parsed.community).toMatchObject({
      signed_identities: "reject",
      clock_skew_seconds: 10,
      allowed_origins: [],
      jwt_keys: [],
    });
  });

  it("lists every problem with its JSON path", () => {
    const doc = specExample();
    doc.community.jwt_keys.push({ kid: "prod_2026", algorithm: "HS256", secret: "short" });
    doc.community.extra_value_mappings.push({ key: "uuid", field: "custom:nope" });
    (doc.community as Record<string, unknown>).jwt_key = [];
    expect(pathsOf(doc)).toEqual([
      "community.jwt_keys[2].secret: An HMAC secret is exactly 24 characters of 0-9 and a-f (lower-case hexadecimal)",
      'community: Unrecognized key: "jwt_key"',
      'community.jwt_keys[2].kid: Key ID "prod_2026" is already used by item 0',
      'community.extra_value_mappings[2].key: Extra value key "uuid" is already used by item 1',
      'community.extra_value_mappings[2].field: No custom field with key "nope" in custom_fields',
    ]);
  });

  it("refuses accept/require without keys, and a wrong version", () => {
    expect(pathsOf({ version: 2, community: { name: "A", slug: "abc", signed_identities: "accept" } })).toEqual([
      "version: version must be 1",
      'community.signed_identities: "accept" needs at least one JWT key in jwt_keys, or a jwks_url',
    ]);
  });
});
