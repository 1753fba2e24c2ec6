// The chat side, end to end: an administrator configures a community in the console, the demo shop
// (its own process and origin) signs a visitor in and hands the token to /widget.js, the widget
// registers the identity, and the console shows what happened.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { APIRequestContext, ConsoleMessage, Page } from "@playwright/test";
import { db, expect, expectAccessible, storage, test, VOUCH_ORIGIN } from "./helpers";
import { startDemo, type RunningDemo } from "./demo-shop";
import { createCommunity } from "../lib/dal/communities";
import { importCommunityConfig } from "../lib/dal/community-config";
import { updateAllowedOrigins } from "../lib/dal/identity-settings";

test.use({ storageState: storage.admin });

const EXPIRED = "Your session has expired. Please refresh the page.";

let demos: RunningDemo[] = [];
test.afterEach(async () => {
  await Promise.all(demos.map((d) => d.stop()));
  demos = [];
});

/** The visitor's browser: no console session, a controllable clock, its console kept. */
async function visitorPage(browser: import("@playwright/test").Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const logs: string[] = [];
  page.on("console", (m: ConsoleMessage) => logs.push(`${m.type()}: ${m.text()}`));
  return { page, logs };
}

/** Other processes see a configuration change within about a second (config version check). */
async function waitUntilAllowed(request: APIRequestContext, slug: string, origin: string) {
  await expect
    .poll(async () =>
      (
        await request.fetch(`/api/v1/communities/${slug}/identity`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        })
      ).status(),
    )
    .toBe(204);
}

const widget = (page: Page) => page.locator("#vouch-chat");
const lastState = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { demo: { states: { status: string; uuid: string; expiresAt: number | null }[] } }
    ).demo.states.at(-1)!,
  );

test("require mode: configured in the console, signed in on the demo shop, verified, tamper refused, token refreshed, then lapsed", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // 1. The administrator configures the community in the console.
  await page.goto("/communities");
  const create = page.getByRole("region", { name: "New community" });
  await create.getByLabel("Name").fill("Widget Flow");
  await create.getByRole("button", { name: "Create community" }).click();
  await expect(page).toHaveURL(/\/communities\/widget-flow$/);
  const base = "/communities/widget-flow";

  await page.goto(`${base}/custom-fields`);
  const field = page.getByRole("region", { name: "New custom field" });
  await field.getByLabel("Label").fill("Customer ID");
  await field.getByLabel("Custom regex (optional)").fill("^C[0-9]{6}$");
  await field.getByRole("button", { name: "Add custom field" }).click();
  await expect(field.getByText("Custom field “Customer ID” (customer_id) added.")).toBeVisible();

  await page.goto(`${base}/mappings`);
  const mapping = page.getByRole("region", { name: "New mapping" });
  await mapping.getByLabel("Extra value key").fill("customer_number");
  await mapping.getByLabel("Destination field").selectOption({ label: "Customer ID" });
  await mapping.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.getByRole("row").filter({ hasText: "customer_number" })).toContainText("Customer ID (custom)");

  await page.goto(`${base}/signed-identities`);
  const addKey = page.getByRole("region", { name: "Add a key" });
  await addKey.getByLabel("Key ID").fill("shop_2026");
  await addKey.getByRole("button", { name: "Generate" }).click();
  await expect(addKey.getByLabel("HMAC secret")).toHaveValue(/^[0-9a-f]{24}$/);
  const secret = await addKey.getByLabel("HMAC secret").inputValue();
  await addKey.getByRole("button", { name: "Add key" }).click();
  await expect(addKey.getByLabel("Secret of shop_2026")).toHaveValue(secret);
  await page.getByRole("radio", { name: /Require signed identities/ }).check();
  await page.getByRole("button", { name: "Save mode" }).click();
  await page
    .getByRole("dialog", { name: "Require signed identities?" })
    .getByRole("button", { name: "Require signed identities" })
    .click();
  await expect(page.getByText("Saved: signed identities are now “require”")).toBeVisible();

  // 2. The demo shop gets the secret the way an integrator's server would: from its environment.
  const demo = await startDemo(["--community", "widget-flow", "--kid", "shop_2026"], { VOUCH_DEMO_SECRET: secret });
  demos.push(demo);
  await page.goto(base);
  await page.getByLabel("Allowed origins (one per line)").fill(demo.origin);
  await page.getByRole("button", { name: "Save origins" }).click();
  await expect(page.getByText("Saved 1 allowed origin.")).toBeVisible();

  // The install page shows this community's snippet, loading the widget from this Vouch.
  await page.goto(`${base}/install`);
  await expect(page.getByTestId("integration-snippet")).toContainText(`_chatq.push(["setSignedIdentity"`);
  await expect(page.getByTestId("integration-snippet")).toContainText(
    `<script async src="${VOUCH_ORIGIN}/widget.js"></script>`,
  );
  await expect(page.getByTestId("integration-snippet")).toContainText(`community: "widget-flow"`);
  await expect(page.getByLabel("Demo shop commands")).toContainText(`--community widget-flow --kid shop_2026`);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: VOUCH_ORIGIN });
  await page.getByRole("button", { name: "Copy snippet" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    await page.getByTestId("integration-snippet").textContent(),
  );
  await page.getByRole("radio", { name: "Signed-in visitors (JWT)" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("radio", { name: "Visitor details, unsigned" })).toBeChecked();
  await expect(page.getByTestId("integration-snippet")).toContainText(`_chatq.push(["setIdentity", {`);
  await expectAccessible(page);

  // 3. A visitor signs in on the shop; the widget registers the signed identity.
  const { page: shop, logs } = await visitorPage(browser);
  await shop.clock.install();
  await shop.goto(demo.origin);
  // Not signed in, in require mode: the anonymous call is refused and the page's console says why.
  await expect(widget(shop)).toHaveAttribute("data-status", "error");
  expect(logs).toContainEqual(expect.stringMatching(/^error: \[Vouch\] signed_identity_required: /));
  await expect(shop.getByRole("button", { name: "Chat Sign in to chat" })).toBeVisible();
  await shop.getByLabel("Customer number").fill("C123456");
  await shop.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  await expect(shop.getByRole("button", { name: "Chat Verified" })).toBeVisible();
  const signedIn = await lastState(shop);
  expect(signedIn.uuid).toMatch(/^cust_[0-9a-f]{16}$/);

  // The launcher opens a panel with the visitor's identity; Escape closes it and returns focus.
  await shop.getByRole("button", { name: "Chat Verified" }).click();
  const panel = shop.getByRole("dialog", { name: "Chat with us" });
  await expect(panel).toContainText("You are chatting as Jane Doe (verified).");
  await expectAccessible(shop); // the demo page with the widget's launcher and open panel (inside its shadow root)
  await panel.getByRole("button", { name: "Close chat" }).focus();
  await shop.keyboard.press("Escape");
  await expect(panel).toBeHidden();
  await expect(shop.getByRole("button", { name: "Chat Verified" })).toBeFocused();

  // 4. The console lists the identity as verified, with the mapped custom field; so does the database.
  await page.goto(`${base}/identities`);
  const card = page.getByRole("listitem", { name: `Identity ${signedIn.uuid}` });
  await expect(card).toContainText("Verified · key shop_2026");
  await expect(card).toContainText("customer_id (custom)C123456mapped from extra_values.customer_number");
  const stored = await db().identity.findFirstOrThrow({
    where: { uuid: signedIn.uuid, community: { slug: "widget-flow" } },
  });
  expect(stored).toMatchObject({ verified: true, kid: "shop_2026" });
  expect(JSON.parse(stored.fields)).toEqual({ firstname: "Jane", lastname: "Doe", email: "jane.doe@example.com" });
  expect(JSON.parse(stored.customFields)).toEqual({ customer_id: "C123456" });

  // 5. A tampered token (same signature, another e-mail) is refused, in the page's console and the log.
  await shop.getByRole("button", { name: "Send a tampered token" }).click();
  await expect.poll(() => logs.filter((l) => l.includes("[Vouch] bad_signature"))).toHaveLength(1);
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  expect(JSON.parse((await db().identity.findFirstOrThrow({ where: { uuid: signedIn.uuid } })).fields).email).toBe(
    "jane.doe@example.com",
  );
  await expect(async () => {
    await page.goto(`${base}/verification-log`);
    await expect(page.getByRole("row").filter({ hasText: "bad_signature" })).toContainText("shop_2026");
  }).toPass({ timeout: 15_000 });

  // 6. Shortly before exp the widget asks the page for a fresh token, once, and keeps the visitor verified.
  const tokenCalls: string[] = [];
  shop.on("request", (r) => {
    if (r.url() === `${demo.origin}/token`) tokenCalls.push(r.method());
  });
  await shop.waitForTimeout(1100); // tokens carry whole seconds: the fresh one must outlive the first
  const untilExp = signedIn.expiresAt! * 1000 - (await shop.evaluate(() => Date.now()));
  await shop.clock.fastForward(untilExp - 240_000); // 4 minutes before exp: inside the 5-minute window
  await expect.poll(async () => (await lastState(shop)).expiresAt).toBeGreaterThan(signedIn.expiresAt!);
  expect(tokenCalls).toEqual(["POST"]);
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  // Only the browser's clock moved, so to it the fresh token (signed on the real clock) expires soon too:
  // the widget asks again, but at most every 30 s — it never hammers the page.
  await shop.clock.runFor(65_000);
  await expect.poll(() => tokenCalls.length).toBeGreaterThan(1);
  expect(tokenCalls.length).toBeLessThanOrEqual(3);

  // 7. The shop's session ends, so refreshing fails; when the token lapses the visitor is told.
  await shop.context().clearCookies();
  const refreshed = await lastState(shop);
  const untilExp2 = refreshed.expiresAt! * 1000 - (await shop.evaluate(() => Date.now()));
  await shop.clock.fastForward(untilExp2 - 120_000);
  await expect.poll(() => logs.filter((l) => l.includes("[Vouch] token_refresh_failed"))).not.toHaveLength(0);
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  await shop.clock.fastForward(180_000);
  await expect(shop.getByRole("status").filter({ hasText: EXPIRED })).toBeVisible();
  await expect(widget(shop)).toHaveAttribute("data-status", "expired");
  await expect(shop.getByRole("button", { name: "Chat Session expired" })).toBeVisible();
  expect(logs.filter((l) => /Content Security Policy/i.test(l))).toEqual([]); // the demo's strict CSP holds
  await shop.context().close();
});

test("reject mode: an anonymous visitor keeps the same automated UUID across reloads", async ({ browser, request }) => {
  await createCommunity(null, { name: "Anon Shop", slug: "anon-shop" });
  const demo = await startDemo(["--community", "anon-shop"]);
  demos.push(demo);
  await updateAllowedOrigins(null, "anon-shop", [demo.origin]);
  await waitUntilAllowed(request, "anon-shop", demo.origin);

  const { page: shop, logs } = await visitorPage(browser);
  await shop.goto(demo.origin);
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous");
  const first = await lastState(shop);
  expect(first.uuid).toMatch(/^[0-9a-f]{24}$/);
  expect(await shop.evaluate(() => localStorage.getItem("vouch:anon-shop:uuid"))).toBe(first.uuid);

  await shop.reload();
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous");
  expect((await lastState(shop)).uuid).toBe(first.uuid);
  await shop.getByRole("button", { name: "Chat Anonymous" }).click();
  await expect(shop.getByRole("dialog", { name: "Chat with us" })).toContainText(
    `You are chatting anonymously.Visitor ID: ${first.uuid}`,
  );

  // Signing in on the shop (unsigned: this demo has no key) adds details to the same visitor;
  // signing out goes back to the browser's anonymous identity, still the same uuid.
  await shop.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(widget(shop)).toHaveAttribute("data-status", "identified");
  await shop.getByRole("button", { name: "Sign out" }).click();
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous");
  expect((await lastState(shop)).uuid).toBe(first.uuid);

  const identities = await db().identity.findMany({
    where: { community: { slug: "anon-shop" } },
    select: { uuid: true, verified: true },
  });
  expect(identities).toHaveLength(1);
  expect(identities[0]).toEqual({ uuid: first.uuid, verified: false });
  expect(logs.filter((l) => l.startsWith("error:"))).toEqual([]);
  expect(logs.filter((l) => /Content Security Policy/i.test(l))).toEqual([]); // the demo's strict CSP holds
  await shop.context().close();
});

test("signed out everywhere while the shop is open: the widget forgets the visitor, asks once, then goes on anonymously", async ({
  page,
  browser,
  request,
}) => {
  const secret = "0123456789abcdef0123abcd";
  const demo = await startDemo(["--community", "revoke-shop", "--kid", "shop_key"], { VOUCH_DEMO_SECRET: secret });
  demos.push(demo);
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Revoke Shop",
      slug: "revoke-shop",
      signed_identities: "accept",
      allowed_origins: [demo.origin],
      jwt_keys: [{ kid: "shop_key", algorithm: "HS256", secret }],
    },
  });
  await waitUntilAllowed(request, "revoke-shop", demo.origin);
  const { page: shop, logs } = await visitorPage(browser);
  const tokenCalls: string[] = [];
  shop.on("request", (r) => {
    if (r.url() === `${demo.origin}/token`) tokenCalls.push(r.method());
  });
  await shop.goto(demo.origin);
  await shop.getByLabel("Customer number").fill("C123456");
  await shop.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  const { uuid } = await lastState(shop);
  const states = () =>
    shop.evaluate(() =>
      (window as unknown as { demo: { states: { status: string; error: { code: string } | null }[] } }).demo.states.map(
        (s) => `${s.status}${s.error ? ` ${s.error.code}` : ""}`,
      ),
    );
  const seen = (await states()).length;

  // 1. The administrator signs the visitor out everywhere, from the identity's page in the console.
  const signOut = async () => {
    await page.goto(`/communities/revoke-shop/identities/${uuid}`);
    await page.getByRole("button", { name: "Sign out everywhere…" }).click();
    const dialog = page.getByRole("dialog", { name: "Sign this visitor out everywhere?" });
    await expect(dialog).toContainText("token_revoked");
    await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(dialog).toBeHidden();
    const stored = await db().identity.findFirstOrThrow({ where: { uuid, community: { slug: "revoke-shop" } } });
    expect(stored.verified).toBe(false);
    await shop.waitForTimeout(1100); // tokens carry whole seconds: the shop's next one is issued after it
  };
  await signOut();

  // 2. Opening the chat re-checks the token: revoked. The widget forgets the identity and asks the page
  //    once; the shop's server still has the customer's session and issues a newer token: verified again.
  await shop.getByRole("button", { name: "Chat Verified" }).click();
  await expect.poll(async () => (await states()).slice(seen)).toEqual(["error token_revoked", "verified"]);
  expect(tokenCalls).toEqual(["POST"]);
  await shop.getByRole("dialog", { name: "Chat with us" }).getByRole("button", { name: "Close chat" }).click();

  // 3. Now the customer's shop session is gone: asked again, the page has no token to give, so the widget
  //    goes on as the browser's anonymous visitor, and says so to the page.
  await shop.context().clearCookies();
  await signOut();
  const before = (await states()).length;
  await shop.getByRole("button", { name: "Chat Verified" }).click();
  await expect.poll(async () => (await states()).slice(before)).toEqual(["error token_revoked", "anonymous"]);
  await expect(shop.getByRole("dialog", { name: "Chat with us" })).toContainText("You are chatting anonymously.");
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous");
  expect(tokenCalls).toEqual(["POST", "POST"]);
  expect(logs).toContainEqual(expect.stringMatching(/\[Vouch\] token_revoked: /));
  expect((await lastState(shop)).uuid).not.toBe(uuid);
  await shop.context().close();
});

test("rate limited: the widget waits Retry-After and retries quietly", async ({ browser, request }) => {
  await createCommunity(null, { name: "Busy Shop", slug: "busy-shop" });
  const demo = await startDemo(["--community", "busy-shop"]);
  demos.push(demo);
  await updateAllowedOrigins(null, "busy-shop", [demo.origin]);
  await waitUntilAllowed(request, "busy-shop", demo.origin);

  const { page: shop, logs } = await visitorPage(browser);
  // The route answers the first call 429 as Vouch does (CORS, Retry-After exposed); the rest go through.
  const calls: number[] = [];
  await shop.route(`${VOUCH_ORIGIN}/api/v1/communities/busy-shop/identity`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    calls.push(Date.now());
    if (calls.length > 1) return route.continue();
    await route.fulfill({
      status: 429,
      headers: {
        "content-type": "application/json",
        "retry-after": "2",
        "access-control-allow-origin": demo.origin,
        "access-control-expose-headers": "Retry-After",
      },
      body: JSON.stringify({ error: { code: "rate_limited", message: "Too many requests: retry in 2 s." } }),
    });
  });
  await shop.goto(demo.origin);
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous", { timeout: 10_000 });
  expect(calls).toHaveLength(2);
  expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(2000);
  expect(logs.filter((l) => l.includes("[Vouch]"))).toEqual([]); // quietly: nothing in the page's console
  expect(await db().identity.count({ where: { community: { slug: "busy-shop" } } })).toBe(1);
  await shop.context().close();
});

test("a site that is not an allowed origin: the widget says why in the page's console, the log records it", async ({
  browser,
  page,
}) => {
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Closed Shop",
      slug: "closed-shop",
      signed_identities: "reject",
      clock_skew_seconds: 10,
      allowed_origins: ["https://shop.example.com"],
      jwt_keys: [],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
  const demo = await startDemo(["--community", "closed-shop"]);
  demos.push(demo);
  expect(demo.output()).toContain(`add ${demo.origin} to the allowed origins of community closed-shop`);
  const { page: shop, logs } = await visitorPage(browser);
  await shop.goto(demo.origin);
  await expect(widget(shop)).toHaveAttribute("data-status", "error");
  expect(logs).toContainEqual(expect.stringMatching(/\[Vouch\] network_error: .*allowed origins/));
  expect(await db().identity.count({ where: { community: { slug: "closed-shop" } } })).toBe(0);
  await expect(async () => {
    await page.goto("/communities/closed-shop/verification-log");
    // The demo's own start-up check and each of the widget's attempts: every one a preflight refusal.
    await expect(
      page
        .getByRole("row")
        .filter({ hasText: "origin_not_allowed" })
        .filter({ hasText: `preflight from origin ${demo.origin}` })
        .first(),
    ).toBeVisible();
  }).toPass({ timeout: 15_000 });
  expect(logs.filter((l) => /Content Security Policy/i.test(l))).toEqual([]); // the demo's strict CSP holds
  await shop.context().close();
});

test("RS256: the demo's keygen makes a key pair, the public half goes into the community, visitors are verified", async ({
  browser,
  request,
}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vouch-demo-"));
  const keyFile = path.join(dir, "demo-key.pem");
  const publicKey = execFileSync(process.execPath, ["--import", "tsx", "scripts/demo.ts", "keygen", "--out", keyFile], {
    cwd: path.join(import.meta.dirname, ".."),
    encoding: "utf8",
  });
  expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);

  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "RSA Shop",
      slug: "rsa-shop",
      signed_identities: "accept",
      clock_skew_seconds: 10,
      allowed_origins: [],
      jwt_keys: [{ kid: "demo_rsa", algorithm: "RS256", public_key: publicKey }],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
  const demo = await startDemo(["--community", "rsa-shop", "--kid", "demo_rsa", "--private-key", keyFile]);
  demos.push(demo);
  await updateAllowedOrigins(null, "rsa-shop", [demo.origin]);
  await waitUntilAllowed(request, "rsa-shop", demo.origin);

  const { page: shop, logs } = await visitorPage(browser);
  await shop.goto(demo.origin);
  await expect(widget(shop)).toHaveAttribute("data-status", "anonymous"); // accept mode: anonymous visitors welcome
  const anonymous = (await lastState(shop)).uuid;
  await shop.getByLabel("First name").fill("Ada");
  await shop.getByLabel("Last name").fill("Lovelace");
  await shop.getByLabel("E-mail").fill("ada@example.com");
  await shop.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(widget(shop)).toHaveAttribute("data-status", "verified");
  const verified = await lastState(shop);
  expect(verified.uuid).not.toBe(anonymous);
  expect(
    await db().identity.findFirst({
      where: { uuid: verified.uuid, community: { slug: "rsa-shop" } },
      select: { verified: true, kid: true },
    }),
  ).toEqual({ verified: true, kid: "demo_rsa" });
  expect(logs.filter((l) => /Content Security Policy/i.test(l))).toEqual([]); // the demo's strict CSP holds
  await shop.context().close();
  fs.rmSync(dir, { recursive: true });
});
