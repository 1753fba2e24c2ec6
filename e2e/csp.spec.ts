// The console's Content-Security-Policy (proxy.ts, lib/csp.ts): a fresh nonce per response, on every
// script Next.js renders, and no violation anywhere in the console.
import { expect, storage, test } from "./helpers";
import { createCommunity } from "../lib/dal/communities";

test("console pages carry a per-response nonce CSP on every script, and nothing violates it", async ({
  browser,
  request,
}) => {
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await request.get("/login");
    const csp = res.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(csp).toContain("script-src 'self' 'nonce-");
    expect(csp).toContain("'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(nonce).toBeTruthy();
    const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`))).toEqual([]);
    nonces.push(nonce!);
  }
  expect(nonces[0]).not.toBe(nonces[1]);

  await createCommunity(null, { name: "CSP Shop", slug: "csp-shop" });
  const context = await browser.newContext({ storageState: storage.admin });
  const page = await context.newPage();
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  for (const path of [
    "/communities",
    "/communities/csp-shop",
    "/communities/csp-shop/install",
    "/communities/csp-shop/signed-identities",
    "/communities/csp-shop/custom-fields",
    "/communities/csp-shop/mappings",
    "/communities/csp-shop/test-console",
    "/accounts",
  ]) {
    const res = await page.goto(path);
    expect(res!.headers()["content-security-policy"], path).toContain("'nonce-");
  }
  // Client-side navigation and a server action still work under the policy.
  await page.getByRole("link", { name: "Communities" }).first().click();
  await expect(page).toHaveURL(/\/communities$/);
  expect(violations).toEqual([]);
  await context.close();
});
