import { db, expectAccessible, seedAccount, signIn, expect, test } from "./helpers";

test.describe("signing in and out", () => {
  test("pages need a session: unauthenticated visitors are sent to sign-in", async ({ page }) => {
    for (const path of ["/communities", "/accounts", "/communities/anything"]) {
      await page.goto(path);
      await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(path).replace(/%/g, "%")}$`));
    }
  });

  test("a wrong password is refused; the right one lands on the page asked for", async ({ page }) => {
    await seedAccount("alice@example.com", "alice password 123", "admin");
    await page.goto("/accounts");
    await expect(page).toHaveURL(/\/login\?next=%2Faccounts$/);
    await page.getByLabel("E-mail address").fill("alice@example.com");
    await page.getByLabel("Password").fill("not her password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong e-mail address or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    expect((await page.context().cookies()).some((c) => c.name.includes("session_token"))).toBe(false);
    await expectAccessible(page);

    await page.getByLabel("Password").fill("alice password 123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/accounts$/);
    const cookie = (await page.context().cookies()).find((c) => c.name.includes("session_token"));
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });

  test("a sign-in link pointing elsewhere lands on the console home, never on another site", async ({ page }) => {
    await seedAccount("dave@example.com", "dave password 1234", "viewer");
    // A tab inside "//": browsers drop it and read "//evil.example"; encoded once more for the link.
    for (const next of [
      "/%09/evil.example",
      "%2F%2Fevil.example",
      "/%5Cevil.example",
      "https%3A%2F%2Fevil.example",
      "/%0D%0Aevil",
    ]) {
      const res = await page.goto(`/login?next=${next}`);
      expect(res?.status(), next).toBe(200);
      await page.getByLabel("E-mail address").fill("dave@example.com");
      await page.getByLabel("Password").fill("dave password 1234");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/communities$/);
      // Signed in already: the login page sends straight on, by the same rule.
      await page.goto(`/login?next=${next}`);
      await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/communities$/);
      await page.context().clearCookies();
    }
  });

  test("signing out revokes the session in the database", async ({ page }) => {
    const bob = await seedAccount("bob@example.com", "bob password 1234", "viewer");
    await signIn(page, "bob@example.com", "bob password 1234");
    expect(await db().session.count({ where: { userId: bob.id } })).toBe(1);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect(await db().session.count({ where: { userId: bob.id } })).toBe(0);
    await page.goto("/communities");
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("repeated failures lock the address for that client, even with the right password; other clients still sign in", async ({
    browser,
  }) => {
    await seedAccount("carol@example.com", "carol password 12", "viewer");
    // The e2e server trusts one proxy hop (playwright.config.ts), so X-Forwarded-For names the client.
    // The attacker also forges the header the server uses internally: it is overwritten.
    const attacker = await (
      await browser.newContext({
        extraHTTPHeaders: { "x-forwarded-for": "203.0.113.5", "x-vouch-client-address": "198.51.100.7" },
      })
    ).newPage();
    await attacker.goto("/login");
    await attacker.getByLabel("E-mail address").fill("carol@example.com");
    for (let i = 0; i < 5; i++) {
      await attacker.getByLabel("Password").fill(`guess number ${i}`);
      await attacker.getByRole("button", { name: "Sign in" }).click();
      await expect(attacker.getByRole("alert").filter({ hasText: "Wrong e-mail address or password." })).toBeVisible();
    }
    await attacker.getByLabel("Password").fill("carol password 12");
    await attacker.getByRole("button", { name: "Sign in" }).click();
    await expect(
      attacker.getByRole("alert").filter({ hasText: /Too many failed sign-in attempts.*15 minutes/ }),
    ).toBeVisible();
    await expect(attacker).toHaveURL(/\/login/);
    const row = await db().signInThrottle.findUniqueOrThrow({
      where: { key: "email:carol@example.com|client:203.0.113.5" },
    });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(
      await db().signInThrottle.findUnique({ where: { key: "email:carol@example.com|client:198.51.100.7" } }),
    ).toBeNull();
    await attacker.context().close();

    // Carol, elsewhere, is not locked out by someone else's failures.
    const carol = await (
      await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.7" } })
    ).newPage();
    await signIn(carol, "carol@example.com", "carol password 12");
    await carol.context().close();
  });
});
