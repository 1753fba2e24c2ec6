import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { SignJWT } from "jose";
import { E2E_DIR, db, expect, expectAccessible, storage, test } from "./helpers";
import { createCommunity } from "../lib/dal/communities";
import { updateSignedIdentitySettings } from "../lib/dal/identity-settings";
import { jwkPair, startJwksServer } from "../tests/helpers/jwks-server";

test.use({ storageState: storage.admin });

const rsa = (bits: number) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: bits });
  return {
    pub: publicKey.export({ type: "spki", format: "pem" }).toString(),
    priv: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
};

async function communityWith(slug: string) {
  await createCommunity(null, { name: `Shop ${slug}`, slug });
  return `/communities/${slug}`;
}

async function saveMode(page: Page, label: RegExp) {
  await page.getByRole("radio", { name: label }).check();
  await page.getByRole("button", { name: "Save mode" }).click();
}

test("keys of both kinds, secrets shown once, and the mode rules", async ({ page, browser }) => {
  const base = await communityWith("keys-shop");
  await page.goto(`${base}/signed-identities`);
  await expect(page.getByText("Not recommended for production")).toBeVisible();
  await expectAccessible(page);

  // No key yet: require is refused, after the confirmation that says what it does.
  await saveMode(page, /Require signed identities/);
  const confirm = page.getByRole("dialog", { name: "Require signed identities?" });
  await expect(confirm).toContainText("signed_identity_required");
  await confirm.getByRole("button", { name: "Require signed identities" }).click();
  await expect(page.getByText("Add a JWT key or a JWKS URL first: “require” needs at least one key")).toBeVisible();
  await expect(page.getByRole("radiogroup", { name: "Signed identities mode" })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  expect((await db().community.findUniqueOrThrow({ where: { slug: "keys-shop" } })).signedIdentities).toBe("reject");

  // Invalid key input: errors under the fields.
  const addKey = page.getByRole("region", { name: "Add a key" });
  await addKey.getByLabel("Key ID").fill("Bad Kid");
  await addKey.getByLabel("HMAC secret").fill("xyz");
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByLabel("Key ID")).toHaveAttribute("aria-invalid", "true");
  await expect(addKey.getByText("Use lower-case letters, digits and _ only (no spaces)")).toBeVisible();
  await expect(addKey.getByText(/exactly 24 characters of 0-9 and a-f/)).toBeVisible();

  // HS256 with a server-generated secret: shown once.
  await addKey.getByLabel("Key ID").fill("prod_2026");
  await addKey.getByRole("button", { name: "Generate" }).click();
  await expect(addKey.getByLabel("HMAC secret")).toHaveValue(/^[0-9a-f]{24}$/);
  const secret = await addKey.getByLabel("HMAC secret").inputValue();
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByText("Copy the secret of “prod_2026” now: it will not be shown again.")).toBeVisible();
  await expect(addKey.getByLabel("Secret of prod_2026")).toHaveValue(secret);
  const row = await db().jwtKey.findFirstOrThrow({ where: { kid: "prod_2026" } });
  expect(row.secretCiphertext).not.toContain(secret);

  // From now on no response of any console page carries the secret (HTML and RSC payloads).
  const bodies: string[] = [];
  page.on("response", async (r) => {
    if (/text|json|x-component/.test(r.headers()["content-type"] ?? "")) bodies.push(await r.text().catch(() => ""));
  });
  await page.reload();
  await expect(page.getByRole("cell", { name: `Secret …${secret.slice(-4)}` })).toBeVisible();
  for (const suffix of ["", "/signed-identities", "/custom-fields", "/mappings", "/audit"]) {
    await page.goto(base + suffix);
    bodies.push(await (await page.request.get(base + suffix)).text());
  }
  await page.goto("/communities");
  expect(bodies.length).toBeGreaterThan(5);
  expect(bodies.filter((b) => b.includes(secret))).toEqual([]);

  // RS256: a private key and a short key are refused with their own messages; a good key is shown with
  // its size and fingerprint.
  await page.goto(`${base}/signed-identities`);
  await addKey.getByRole("radio", { name: /RS256/ }).check();
  await addKey.getByLabel("Key ID").fill("rsa_main");
  const pem = addKey.getByLabel("RSA public key (PEM)");
  await pem.fill(rsa(2048).priv);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByText(/This is a PRIVATE key/)).toBeVisible();
  await expect(pem).toHaveAttribute("aria-invalid", "true");
  await pem.fill(rsa(1024).pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByText("This RSA key has 1024 bits; at least 2048 are required")).toBeVisible();
  await pem.fill(rsa(2048).pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByRole("row").filter({ hasText: "rsa_main" })).toContainText(/2048 bits\s*SHA256:/);
  expect((await db().jwtKey.findFirstOrThrow({ where: { kid: "rsa_main" } })).keyBits).toBe(2048);

  // With keys, require is saved.
  await saveMode(page, /Require signed identities/);
  await confirm.getByRole("button", { name: "Require signed identities" }).click();
  await expect(page.getByText("Saved: signed identities are now “require”")).toBeVisible();
  expect((await db().community.findUniqueOrThrow({ where: { slug: "keys-shop" } })).signedIdentities).toBe("require");

  // Rotation: delete one key (never used, says so); the last key in require mode cannot go.
  await page.getByRole("row").filter({ hasText: "prod_2026" }).getByRole("button", { name: "Delete…" }).click();
  const del = page.getByRole("dialog", { name: "Delete key “prod_2026”?" });
  await expect(del).toContainText("No token signed with this key has ever been accepted.");
  await del.getByRole("button", { name: "Delete key" }).click();
  await expect(page.getByRole("row").filter({ hasText: "prod_2026" })).toHaveCount(0);
  await page.getByRole("row").filter({ hasText: "rsa_main" }).getByRole("button", { name: "Delete…" }).click();
  const last = page.getByRole("dialog", { name: "Delete key “rsa_main”?" });
  await last.getByRole("button", { name: "Delete key" }).click();
  await expect(last.getByRole("alert")).toContainText("is the last key and this community requires signed identities");
  expect(await db().jwtKey.count({ where: { community: { slug: "keys-shop" } } })).toBe(1);

  // A viewer sees the configuration, no secrets, no controls.
  const viewer = await (await browser.newContext({ storageState: storage.viewer })).newPage();
  await viewer.goto(`${base}/signed-identities`);
  await expect(viewer.getByText("Require signed identities (require)")).toBeVisible();
  await expect(viewer.getByRole("region", { name: "Add a key" })).toHaveCount(0);
  await expect(viewer.getByRole("button", { name: /Delete|Save/ })).toHaveCount(0);
  await expectAccessible(viewer);
  await viewer.context().close();
});

test("ES256 and EdDSA keys: the wrong curve refused by name, saved with curve and fingerprint, verified by the route", async ({
  page,
  request,
}) => {
  const base = await communityWith("curves-shop");
  const pair = (kind: "ec" | "ed25519", namedCurve = "P-256") => {
    const { publicKey, privateKey } =
      kind === "ec" ? crypto.generateKeyPairSync("ec", { namedCurve }) : crypto.generateKeyPairSync("ed25519");
    return { pub: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
  };
  const ec = pair("ec");
  const ed = pair("ed25519");
  await page.goto(`${base}/signed-identities`);
  const addKey = page.getByRole("region", { name: "Add a key" });

  await addKey.getByRole("radio", { name: /ES256/ }).check();
  await addKey.getByLabel("Key ID").fill("ec_main");
  const ecPem = addKey.getByLabel("EC P-256 public key (PEM)");
  await ecPem.fill(pair("ec", "P-384").pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByText("This EC key is on curve P-384; ES256 needs curve P-256")).toBeVisible();
  await expect(ecPem).toHaveAttribute("aria-invalid", "true");
  await ecPem.fill(ec.pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByRole("row").filter({ hasText: "ec_main" })).toContainText(
    /ES256 \(ECDSA P-256 SHA-256\)P-256\s*SHA256:/,
  );

  await addKey.getByRole("radio", { name: /EdDSA/ }).check();
  await addKey.getByLabel("Key ID").fill("ed_main");
  const edPem = addKey.getByLabel("Ed25519 public key (PEM)");
  await edPem.fill(ec.pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByText("This is an elliptic-curve (EC) P-256 key; EdDSA needs an Ed25519 key")).toBeVisible();
  await edPem.fill(ed.pub);
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(page.getByRole("row").filter({ hasText: "ed_main" })).toContainText(
    /EdDSA \(Ed25519\)Ed25519\s*SHA256:/,
  );
  expect(
    (await db().jwtKey.findMany({ where: { community: { slug: "curves-shop" } }, orderBy: { kid: "asc" } })).map(
      (k) => [k.kid, k.algorithm, k.keyBits],
    ),
  ).toEqual([
    ["ec_main", "ES256", 256],
    ["ed_main", "EdDSA", 256],
  ]);

  // The signing code follows the chosen key.
  await page.getByLabel("Key", { exact: true }).selectOption("ed_main");
  const code = page.getByLabel("Signing code, Node.js (jose)");
  await expect(code).toContainText('importPKCS8(process.env.VOUCH_ED25519_PRIVATE_KEY, "EdDSA")');
  await expect(code).toContainText('alg: "EdDSA", kid: "ed_main"');
  await expectAccessible(page);

  // The production server verifies both (signatures required).
  await updateSignedIdentitySettings(null, "curves-shop", { signed_identities: "require", clock_skew_seconds: 10 });
  const exp = Math.floor(Date.now() / 1000) + 7200;
  for (const [alg, kid, key] of [
    ["ES256", "ec_main", ec.privateKey],
    ["EdDSA", "ed_main", ed.privateKey],
  ] as const) {
    const token = await new SignJWT({ uuid: `u-${kid}`, firstname: "Ada" })
      .setProtectedHeader({ alg, kid, typ: "JWT" })
      .setExpirationTime(exp)
      .sign(key);
    const res = await request.post(`/api/v1/communities/curves-shop/identity`, { data: { signed_identity: token } });
    expect(res.status()).toBe(200);
    expect((await res.json()).identity).toMatchObject({ uuid: `u-${kid}`, verified: true, kid });
  }
});

test("key expiry: set when adding, warned 14 days ahead on the key list and the overview, changed in a dialog", async ({
  page,
}) => {
  const base = await communityWith("expiry-shop");
  await page.goto(`${base}/signed-identities`);
  const addKey = page.getByRole("region", { name: "Add a key" });
  await addKey.getByLabel("Key ID").fill("soon_key");
  await addKey.getByRole("button", { name: "Generate" }).click();
  await expect(addKey.getByLabel("HMAC secret")).toHaveValue(/^[0-9a-f]{24}$/);
  const inFiveDays = new Date(Date.now() + 5 * 86_400_000 + 3_600_000).toISOString().slice(0, 16);
  await addKey.getByLabel("Expires at (UTC, optional)").fill(inFiveDays);
  await addKey.getByRole("button", { name: "Add key" }).click();
  const row = page.getByRole("row").filter({ hasText: "soon_key" });
  await expect(row).toContainText("Expires in 5 days: move the website to another key before then.");
  expect((await db().jwtKey.findFirstOrThrow({ where: { kid: "soon_key" } })).expiresAt?.toISOString()).toBe(
    `${inFiveDays}:00.000Z`,
  );

  await page.goto(base);
  const attention = page.getByRole("region", { name: "Keys that need attention" });
  await expect(attention).toContainText("soon_key: Expires in 5 days");
  await expectAccessible(page);

  // The dialog: a past instant is refused on the field; empty means never.
  await page.goto(`${base}/signed-identities`);
  await row.getByRole("button", { name: "Set expiry…" }).click();
  const dialog = page.getByRole("dialog", { name: "Expiry of “soon_key”" });
  await expect(dialog.getByLabel("Expires at (UTC)")).toHaveValue(inFiveDays);
  await expectAccessible(page);
  await dialog.getByLabel("Expires at (UTC)").fill("2020-01-01T00:00");
  await dialog.getByRole("button", { name: "Save expiry" }).click();
  await expect(dialog.getByText("This instant has passed: the key would refuse every token.")).toBeVisible();
  await expect(dialog.getByLabel("Expires at (UTC)")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByLabel("Expires at (UTC)").fill("");
  await dialog.getByRole("button", { name: "Save expiry" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("cell").nth(6)).toHaveText("never");
  expect((await db().jwtKey.findFirstOrThrow({ where: { kid: "soon_key" } })).expiresAt).toBeNull();
  await page.goto(base);
  await expect(page.getByRole("region", { name: "Keys that need attention" })).toHaveCount(0);
});

test("JWKS URL: saved after a fetch, its keys and ignored entries shown, fetched again, used by the route, removed", async ({
  page,
  request,
}) => {
  const jwks = await startJwksServer();
  try {
    const base = await communityWith("jwks-console");
    const ec = jwkPair("ES256", "site-2027");
    jwks.keys = [ec.jwk, { kty: "oct", k: "c2VjcmV0", kid: "hmac" }];
    await page.goto(`${base}/signed-identities`);
    const section = page.getByRole("region", { name: "Published keyset (JWKS URL)" });
    // A keyset with no usable key is refused, saying why.
    jwks.keys = [{ kty: "oct", k: "c2VjcmV0", kid: "hmac" }];
    await section.getByLabel("JWKS URL").fill(jwks.url);
    await section.getByRole("button", { name: "Save URL" }).click();
    await expect(section.getByText("Not saved: the keyset has no usable key")).toBeVisible();
    await expect(section.getByLabel("JWKS URL")).toHaveAttribute("aria-invalid", "true");
    jwks.keys = [ec.jwk, { kty: "oct", k: "c2VjcmV0", kid: "hmac" }];
    await section.getByRole("button", { name: "Save URL" }).click();
    await expect(section.getByText("JWKS URL saved: its keys verify signed identities now.")).toBeVisible();
    const state = section.getByRole("group", { name: "Keyset state" });
    await expect(state.getByRole("row").filter({ hasText: "site-2027" })).toContainText(/ES256\s*SHA256:/);
    await expect(state).toContainText("hmac: a shared secret (kty oct) is never taken from a URL");
    await expectAccessible(page);

    // A keyset others may trust too, and no expected audience: the console warns, until one is set.
    const policy = page.getByRole("region", { name: "Token policy" });
    const warning = policy.getByText("every community that trusts the same keyset accepts the same tokens");
    await page.reload();
    await expect(warning).toBeVisible();
    await policy.getByLabel("Longest token lifetime (minutes)").fill("30");
    await policy.getByRole("button", { name: "Save token policy" }).click();
    await expect(policy.getByLabel("Longest token lifetime (minutes)")).toHaveAttribute("aria-invalid", "true");
    await expect(policy.getByText("At least 60 minutes (tokens must live at least an hour)")).toBeVisible();
    await policy.getByLabel("Longest token lifetime (minutes)").fill("");
    await policy.getByLabel("Expected audience (aud)").fill("jwks-console");
    await policy.getByRole("button", { name: "Save token policy" }).click();
    await expect(policy.getByText("Token policy saved")).toBeVisible();
    await expect(warning).toBeHidden();
    expect(await db().community.findUniqueOrThrow({ where: { slug: "jwks-console" } })).toMatchObject({
      expectedAudience: "jwks-console",
      expectedIssuer: null,
      maxTokenLifetimeMinutes: null,
    });
    await expectAccessible(page);

    // Require mode with no configured key: the published key verifies tokens.
    await updateSignedIdentitySettings(null, "jwks-console", { signed_identities: "require", clock_skew_seconds: 10 });
    const token = await new SignJWT({ uuid: "jwks-visitor", aud: "jwks-console" })
      .setProtectedHeader({ alg: "ES256", kid: "site-2027", typ: "JWT" })
      .setExpirationTime(Math.floor(Date.now() / 1000) + 7200)
      .sign(ec.privateKey);
    const res = await request.post("/api/v1/communities/jwks-console/identity", { data: { signed_identity: token } });
    expect(res.status()).toBe(200);
    expect((await res.json()).identity).toMatchObject({ uuid: "jwks-visitor", verified: true, kid: "site-2027" });

    // Fetch now reports a failing URL; the last good keys stay listed.
    jwks.behaviour = { kind: "status", status: 500 };
    await state.getByRole("button", { name: "Fetch now" }).click();
    await expect(state.getByText("The fetch failed: answered HTTP 500")).toBeVisible();
    await page.reload();
    await expect(page.getByRole("alert").filter({ hasText: "Last error" })).toContainText("answered HTTP 500");

    // Removing the URL while require mode has no configured key is refused; in accept mode it goes.
    await section.getByRole("button", { name: "Remove URL" }).click();
    await expect(section.getByText(/needs a key: add a JWT key before removing the JWKS URL/)).toBeVisible();
    await updateSignedIdentitySettings(null, "jwks-console", { signed_identities: "reject", clock_skew_seconds: 10 });
    await page.reload();
    await section.getByRole("button", { name: "Remove URL" }).click();
    await expect(section.getByText("JWKS URL removed.")).toBeVisible();
    expect((await db().community.findUniqueOrThrow({ where: { slug: "jwks-console" } })).jwksUrl).toBeNull();
  } finally {
    await jwks.stop();
  }
});

test("a custom field with a regex tested live, mapped from an extra value, protected while mapped", async ({
  page,
}) => {
  const base = await communityWith("fields-shop");
  await page.goto(`${base}/custom-fields`);
  const form = page.getByRole("region", { name: "New custom field" });
  await form.getByLabel("Label").fill("Customer ID");
  await expect(form.getByLabel("Key")).toHaveAttribute("placeholder", "customer_id");

  const regex = form.getByLabel("Custom regex (optional)");
  await regex.fill("^(C[0-9]{6}$");
  await form.getByLabel("Test the regex").fill("C123456\n54579fed6d617868b3010000");
  await expect(form.getByText(/Invalid regular expression: missing closing \)/).first()).toBeVisible();
  await regex.fill("^C[0-9]{6}$");
  await expect(form.getByText("C123456: match — stored")).toBeVisible();
  await expect(form.getByText("54579fed6d617868b3010000: no match — skipped")).toBeVisible();
  await expectAccessible(page);
  await form.getByRole("button", { name: "Add custom field" }).click();
  await expect(form.getByText("Custom field “Customer ID” (customer_id) added.")).toBeVisible();
  expect(
    await db().customField.findFirst({
      where: { community: { slug: "fields-shop" } },
      select: { key: true, regex: true, type: true },
    }),
  ).toEqual({
    key: "customer_id",
    regex: "^C[0-9]{6}$",
    type: "string",
  });

  await page.goto(`${base}/mappings`);
  const mapping = page.getByRole("region", { name: "New mapping" });
  await mapping.getByLabel("Extra value key").fill("a.b");
  await mapping.getByRole("button", { name: "Add mapping" }).click();
  await expect(mapping.getByText("A key cannot contain “.”")).toBeVisible();
  await mapping.getByLabel("Extra value key").fill("uuid");
  await mapping.getByLabel("Destination field").selectOption({ label: "Customer ID" });
  await mapping.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByRole("row").filter({ hasText: "uuid" })).toContainText("Customer ID (custom)");
  expect(
    await db().extraValueMapping.findMany({
      where: { community: { slug: "fields-shop" } },
      select: { key: true, field: true },
    }),
  ).toEqual([{ key: "uuid", field: "custom:customer_id" }]);
  await expect(mapping.getByRole("option", { name: "Customer ID (mapped)" })).toBeDisabled();
  await expectAccessible(page);

  await page.goto(`${base}/custom-fields`);
  await page.getByRole("button", { name: "Delete…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete custom field “Customer ID”?" });
  await dialog.getByRole("button", { name: "Delete field" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(
    "“Customer ID” is used by the mapping “uuid → Customer ID”: delete that mapping first",
  );
  expect(await db().customField.count({ where: { community: { slug: "fields-shop" } } })).toBe(1);

  await page.goto(`${base}/audit`);
  await expect(page.getByRole("row").filter({ hasText: "mapping.create" })).toContainText(
    'field: "custom:customer_id"',
  );
  await expect(page.getByRole("row").filter({ hasText: "custom_field.create" })).toContainText("owner@example.com");
  await expectAccessible(page);
});

test("import and export round trip through the CLI, shown in the console", async ({ page }) => {
  const file = path.join(E2E_DIR, "acme-config.json");
  const secret = "9aeaf06388b8ab6487d1605b";
  const doc = {
    version: 1,
    community: {
      name: "Imported Shop",
      slug: "imported-shop",
      signed_identities: "require",
      clock_skew_seconds: 30,
      allowed_origins: ["https://shop.example.com"],
      rate_limit_per_minute: 1200,
      identity_retention_days: 200,
      token_policy: {
        expected_issuer: "https://shop.example.com",
        expected_audience: "imported-shop",
        max_token_lifetime_minutes: 1440,
      },
      jwt_keys: [
        { kid: "prod_2026", algorithm: "HS256", secret },
        { kid: "rsa_main", algorithm: "RS256", public_key: rsa(2048).pub },
      ],
      custom_fields: [{ key: "customer_id", label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }],
      extra_value_mappings: [
        { key: "cell_number", field: "mobile_phone" },
        { key: "uuid", field: "custom:customer_id" },
      ],
    },
  };
  fs.writeFileSync(file, JSON.stringify(doc));
  const cli = (...args: string[]) =>
    execFileSync(process.execPath, ["scripts/vouch.mjs", ...args], {
      encoding: "utf8",
      env: { ...process.env, VOUCH_DATA_DIR: E2E_DIR },
    });
  expect(cli("community", "import", file)).toContain("Created community imported-shop: keys 2 added");

  await page.goto("/communities/imported-shop/signed-identities");
  await expect(page.getByRole("radio", { name: /Require signed identities/ })).toBeChecked();
  await expect(page.getByLabel("Clock skew leeway (seconds)")).toHaveValue("30");
  await expect(page.getByRole("cell", { name: "Secret …605b" })).toBeVisible();
  await expect(page.getByLabel("Expected issuer (iss)")).toHaveValue("https://shop.example.com");
  await expect(page.getByLabel("Expected audience (aud)")).toHaveValue("imported-shop");
  await expect(page.getByLabel("Longest token lifetime (minutes)")).toHaveValue("1440");
  await page.goto("/communities/imported-shop/mappings");
  await expect(page.getByRole("row").filter({ hasText: "uuid" })).toContainText("Customer ID (custom)");

  expect(JSON.parse(cli("community", "export", "imported-shop", "--include-secrets"))).toEqual(doc);
  const withoutSecrets = cli("community", "export", "imported-shop");
  expect(withoutSecrets).not.toContain(secret);
  fs.writeFileSync(file, withoutSecrets); // re-importing the secret-less export keeps the stored secret
  expect(cli("community", "import", file)).toContain(
    "Updated community imported-shop: keys 0 added, 0 replaced, 2 kept, 0 removed",
  );
});
