import crypto from "node:crypto";
import { db, expectAccessible, storage, expect, test } from "./helpers";
import { importCommunityConfig } from "../lib/dal/community-config";
import { signHs256, nowS } from "../tests/helpers/tokens";

test.use({ storageState: storage.admin });

const SECRET = crypto.randomBytes(12).toString("hex");
const SLUG = "route-shop";
const route = `/api/v1/communities/${SLUG}/identity`;

test.beforeAll(async () => {
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Route Shop",
      slug: SLUG,
      signed_identities: "require",
      clock_skew_seconds: 10,
      allowed_origins: [],
      jwt_keys: [{ kid: "prod_2026", algorithm: "HS256", secret: SECRET }],
      custom_fields: [{ key: "customer_id", label: "Customer ID", type: "string", regex: "^C[0-9]{6}$" }],
      extra_value_mappings: [
        { key: "uuid", field: "custom:customer_id" },
        { key: "cell_number", field: "mobile_phone" },
      ],
    },
  });
});

const token = (claims: Record<string, unknown> = {}) =>
  signHs256(
    SECRET,
    { uuid: "C123456", firstname: "John", exp: nowS() + 7200, extra_values: { cell_number: "+1 555 0100" }, ...claims },
    { kid: "prod_2026" },
  );

test("widgets' calls are verified, stored, listed as verified, and refusals logged", async ({ page, request }) => {
  const ok = await request.post(route, { data: { signed_identity: await token() } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({
    identity: { uuid: "C123456", verified: true, kid: "prod_2026", custom_fields: { customer_id: "C123456" } },
  });
  const tampered = (await token({ uuid: "C000001" })).slice(0, -4) + "AAAA";
  const refused = await request.post(route, { data: { signed_identity: tampered } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("bad_signature");
  expect((await request.post(route, { data: { identity: { uuid: "x" } } })).status()).toBe(403);
  expect((await request.post(route, { data: "x", headers: { "content-type": "text/plain" } })).status()).toBe(415);

  await page.goto(`/communities/${SLUG}/identities`);
  const card = page.getByRole("listitem", { name: "Identity C123456" });
  await expect(card).toContainText("Verified · key prod_2026");
  await expect(card).toContainText("mobile_phone+1 555 0100mapped from extra_values.cell_number");
  await expect(card).toContainText("customer_id (custom)C123456from the uuid");
  await expectAccessible(page);

  // Refusals are written in batches (every 2 s): wait for the row.
  await expect(async () => {
    await page.goto(`/communities/${SLUG}/verification-log`);
    await expect(page.getByRole("row").filter({ hasText: "bad_signature" })).toContainText(
      'the signature does not verify with key "prod_2026"',
    );
  }).toPass({ timeout: 15_000 });
  const logRow = page.getByRole("row").filter({ hasText: "bad_signature" });
  await expect(logRow).not.toContainText(tampered.split(".")[2]!);
  await expectAccessible(page);

  // The key table counts the accepted token once usage is flushed.
  await expect(async () => {
    await page.goto(`/communities/${SLUG}/signed-identities`);
    await expect(page.getByRole("row").filter({ hasText: "prod_2026" })).toContainText("1 token");
  }).toPass({ timeout: 15_000 });
  await expect(page.getByLabel("Signing code, Node.js (jose)")).toContainText('kid: "prod_2026"');
});

test("the token test console explains each step and stores nothing", async ({ page }) => {
  const before = await db().identity.count();
  await page.goto(`/communities/${SLUG}/test-console`);
  const input = page.getByLabel("JWT or JSON identity");
  await page.getByRole("button", { name: "Test" }).click();
  await expect(input).toHaveAttribute("aria-invalid", "true");

  await input.fill(await token({ uuid: "C765432" }));
  await page.getByRole("button", { name: "Test" }).click();
  const result = page.getByRole("region", { name: "Test result" });
  await expect(result).toContainText("Accepted (200): the identity below would be stored as verified.");
  await expect(result.getByRole("listitem")).toHaveCount(5);
  await expect(result).toContainText('"customer_id": "C765432"');

  await input.fill(await token({ exp: nowS() + 600 }));
  await page.getByRole("button", { name: "Test" }).click();
  await expect(result).toContainText("Refused (401 exp_too_soon)");
  await expect(result.getByRole("listitem").filter({ hasText: "4. Expiry" })).toContainText(
    "failed — the token expires in",
  );

  await input.fill('{"uuid": "54579fed6d617868b3010000"}');
  await page.getByRole("button", { name: "Test" }).click();
  await expect(result).toContainText("Refused (403 signed_identity_required)");
  await expectAccessible(page);
  expect(await db().identity.count()).toBe(before);
  expect(await db().identity.count({ where: { uuid: "C765432" } })).toBe(0);
});

test("allowed origins are validated, warned about, saved and enforced", async ({ page, request }) => {
  await page.goto(`/communities/${SLUG}`);
  const origins = page.getByLabel("Allowed origins (one per line)");
  await origins.fill("shop.example.com");
  await origins.blur();
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(page.getByText(/Line 1: Use an origin like https:\/\/shop.example.com/)).toBeVisible();
  await expect(origins).toHaveAttribute("aria-invalid", "true");

  await origins.fill("https://shop.example.com\n*");
  await origins.blur();
  await expect(page.getByRole("note")).toContainText("lets any website call this community's identity route");
  await origins.fill("https://shop.example.com");
  await origins.blur();
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(page.getByText("Saved 1 allowed origin.")).toBeVisible();
  expect(JSON.parse((await db().community.findUniqueOrThrow({ where: { slug: SLUG } })).allowedOrigins)).toEqual([
    "https://shop.example.com",
  ]);
  await expectAccessible(page);

  const allowed = await request.post(route, {
    data: { signed_identity: await token() },
    headers: { origin: "https://shop.example.com" },
  });
  expect(allowed.headers()["access-control-allow-origin"]).toBe("https://shop.example.com");
  const other = await request.post(route, {
    data: { signed_identity: await token() },
    headers: { origin: "https://evil.example" },
  });
  expect(other.status()).toBe(403);
  expect((await other.json()).error.code).toBe("origin_not_allowed");
});

test("the API reference is public, generated from the contract, and its 'try it' sends real requests", async ({
  browser,
  request,
}) => {
  const doc = await (await request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths["/api/v1/communities/{slug}/identity"].post.responses)).toEqual([
    "200",
    "400",
    "401",
    "403",
    "404",
    "413",
    "415",
    "429",
    "503",
  ]);

  const page = await (await browser.newContext()).newPage(); // no session needed
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "Identity route API" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "verified_identity_locked" })).toContainText("403");
  await expectAccessible(page);
  await page.getByLabel("Community identifier").fill(SLUG);
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByText("Response: 403")).toBeVisible(); // this community requires signed identities
  await expect(page.getByRole("region", { name: "Try it" }).locator("pre").last()).toContainText(
    '"code": "signed_identity_required"',
  );
  await page.context().close();
});
