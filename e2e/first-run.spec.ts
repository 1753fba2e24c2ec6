import { OWNER, db, expectAccessible, expect, test } from "./helpers";

test("first run: setup creates the first administrator, then disappears", async ({ page }) => {
  await page.goto("/communities");
  await expect(page).toHaveURL(/\/setup$/); // console → sign-in → setup, since no admin exists yet
  await expect(page.getByRole("heading", { name: "Welcome to Vouch" })).toBeVisible();
  await expectAccessible(page);

  // Invalid input: errors under the fields, tied to them, nothing created.
  await page.getByLabel("E-mail address").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create administrator" }).click();
  const email = page.getByLabel("E-mail address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a valid e-mail address, like name@example.com")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use at least 12 characters")).toBeVisible();
  expect(await db().user.count()).toBe(0);

  await email.fill(OWNER.email);
  await page.getByLabel("Name (optional)").fill("Olive Owner");
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create administrator" }).click();
  await expect(page).toHaveURL(/\/communities$/);
  await expect(page.getByRole("banner")).toContainText(`${OWNER.email} admin`);
  expect(await db().user.findMany({ select: { email: true, role: true, name: true } })).toEqual([
    { email: OWNER.email, role: "admin", name: "Olive Owner" },
  ]);

  // Once an admin exists, /setup is gone and sign-in no longer sends there.
  const setup = await page.request.get("/setup");
  expect(setup.status()).toBe(404);
  await page.context().clearCookies();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page);
});
