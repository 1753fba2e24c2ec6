import { rsaKeyPair } from "./keys";

const { publicPem } = rsaKeyPair();
export const SPEC_HS256_SECRET = "9aeaf06388b8ab6487d1605b";

/** The example document of docs/cli.md, with a real RSA public key generated for this run. */
export const specConfigDocument = () => ({
  version: 1,
  community: {
    name: "Acme Shop",
    slug: "acme-shop",
    signed_identities: "require",
    clock_skew_seconds: 10,
    allowed_origins: ["https://shop.example.com"],
    rate_limit_per_minute: 600,
    identity_retention_days: 365,
    token_policy: { expected_issuer: null, expected_audience: null, max_token_lifetime_minutes: null },
    jwt_keys: [
      { kid: "prod_2026", algorithm: "HS256", secret: SPEC_HS256_SECRET },
      { kid: "rsa_main", algorithm: "RS256", public_key: publicPem },
    ],
    custom_fields: [{ key: "customer_id", label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }],
    extra_value_mappings: [
      { key: "cell_number", field: "mobile_phone" },
      { key: "uuid", field: "custom:customer_id" },
    ],
  },
});
