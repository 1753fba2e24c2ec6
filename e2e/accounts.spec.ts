import { db, expectAccessible, storage, expect, test } from "./helpers";

test.use({ storageState: storage.admin });

test("an admin creates an account, changes its role and deletes it; the last admin is protected", async ({ page }) => {
  await page.goto("/accounts");
  await expectAccessible(page);
  const form = page.getByRole("region", { name: "New account" });

  await form.getByLabel("E-mail address").fill("dave@");
  await form.getByLabel("Initial password").fill("dave password 12");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByLabel("E-mail address")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Enter a valid e-mail address, like name@example.com")).toBeVisible();
  expect(await db().user.count({ where: { email: { startsWith: "dave" } } })).toBe(0);

  await form.getByLabel("E-mail address").fill("Dave@Example.com");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText("Account dave@example.com created as viewer.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "dave@example.com" })).toBeVisible();
  expect((await db().user.findUniqueOrThrow({ where: { email: "dave@example.com" } })).role).toBe("viewer");

  await page.getByLabel("Role of dave@example.com").selectOption("admin");
  await expect
    .poll(async () => (await db().user.findUniqueOrThrow({ where: { email: "dave@example.com" } })).role)
    .toBe("admin");
  await page.getByLabel("Role of dave@example.com").selectOption("viewer");
  await expect
    .poll(async () => (await db().user.findUniqueOrThrow({ where: { email: "dave@example.com" } })).role)
    .toBe("viewer");

  const row = page.getByRole("row").filter({ hasText: "dave@example.com" });
  await row.getByRole("button", { name: "Delete…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete dave@example.com?" });
  await expect(dialog).toContainText("open sessions end immediately");
  await dialog.getByRole("button", { name: "Delete account" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("cell", { name: "dave@example.com" })).toHaveCount(0);
  expect(await db().user.count({ where: { email: "dave@example.com" } })).toBe(0);

  // Demote every other admin first, so the owner is the last one: demoting the owner is refused.
  await db().user.updateMany({
    where: { role: "admin", email: { not: "owner@example.com" } },
    data: { role: "viewer" },
  });
  await page.reload();
  await page.getByLabel("Role of owner@example.com").selectOption("viewer");
  await expect(page.getByText("This is the last administrator: make another account admin first")).toBeVisible();
  expect((await db().user.findUniqueOrThrow({ where: { email: "owner@example.com" } })).role).toBe("admin");
});
