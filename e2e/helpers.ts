import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { db } from "../lib/db";
import { createAccount } from "../lib/dal/accounts";

export const E2E_DIR = path.join(import.meta.dirname, "..", ".e2e");
/** The server under test (playwright.config.ts); other origins (the demo shop) are not React pages. */
export const VOUCH_ORIGIN = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const isVouchPage = (url: string) => url.startsWith(VOUCH_ORIGIN + "/");
export const storage = { admin: path.join(E2E_DIR, "admin.json"), viewer: path.join(E2E_DIR, "viewer.json") };

export const OWNER = { email: "owner@example.com", password: "owner password 123" };
export const VIEWER = { email: "viewer@example.com", password: "viewer password 123" };

/** The same database the server under test uses (the SQLite file in .e2e/). */
export { db };

export async function seedAccount(email: string, password: string, role: "admin" | "viewer") {
  return createAccount(null, { email, name: "", password, role });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/communities$/);
}

/** axe-core scan against WCAG 2.x A/AA: the page must have no violations. */
export async function expectAccessible(page: Page) {
  // A refresh after a server action re-streams the page's metadata: the <title> can be briefly absent
  // (axe's document-title rule once failed on that moment in CI). Scan once it is back.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
}

/** Waits until React has hydrated the page (typing earlier races with hydration). */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** Every page of a context: goto and reload return once the page is hydrated. */
export function hydratingPages(context: BrowserContext) {
  const patch = (page: Page) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (...args) => {
      const response = await goto(...args);
      if (response?.headers()["content-type"]?.includes("text/html") && isVouchPage(response.url()))
        await waitForHydration(page);
      return response;
    };
    page.reload = async (...args) => {
      const response = await reload(...args);
      if (isVouchPage(page.url())) await waitForHydration(page);
      return response;
    };
  };
  context.pages().forEach(patch);
  context.on("page", patch);
  return context;
}

/** The test object every spec uses: contexts and pages wait for hydration after navigation. */
export const test = base.extend<{ context: BrowserContext }, { browser: Browser }>({
  context: async ({ context }, use) => {
    await use(hydratingPages(context));
  },
  browser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => hydratingPages(await newContext(...args));
      await use(browser);
    },
    { scope: "worker" },
  ],
});
export { expect };
