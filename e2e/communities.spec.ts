import { db, expectAccessible, storage, expect, test } from "./helpers";

test.use({ storageState: storage.admin });

test("an admin creates, renames and deletes a community, with errors under the fields", async ({ page, baseURL }) => {
  await page.goto("/communities");
  await expectAccessible(page);
  const form = page.getByRole("region", { name: "New community" });

  // Invalid: blank name, bad identifier.
  await form.getByLabel("Identifier").fill("Bad Slug!");
  await form.getByRole("button", { name: "Create community" }).click();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Identifier")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Use lower-case letters, digits and single hyphens (e.g. acme-shop)")).toBeVisible();
  const slugError = await form.getByLabel("Identifier").getAttribute("aria-describedby");
  expect(slugError).toMatch(/-error/);
  expect(await db().community.count({ where: { name: { contains: "Acme" } } })).toBe(0);

  // Valid: the identifier follows the name until edited.
  await form.getByLabel("Identifier").fill("");
  await page.reload();
  await form.getByLabel("Name").fill("Acme Shop");
  await expect(form.getByLabel("Identifier")).toHaveValue("acme-shop");
  await form.getByRole("button", { name: "Create community" }).click();
  await expect(page).toHaveURL(/\/communities\/acme-shop$/);
  await expect(page.getByRole("heading", { level: 1, name: "Acme Shop" })).toBeVisible();
  await expect(page.getByText(`POST ${baseURL}/api/v1/communities/acme-shop/identity`)).toBeVisible();
  expect(await db().community.findUnique({ where: { slug: "acme-shop" }, select: { name: true } })).toEqual({
    name: "Acme Shop",
  });
  await expectAccessible(page);

  // Duplicate identifier: refused on the field.
  await page.goto("/communities");
  await form.getByLabel("Name").fill("Acme Again");
  await form.getByLabel("Identifier").fill("acme-shop");
  await form.getByRole("button", { name: "Create community" }).click();
  await expect(form.getByText('Another community already uses the identifier "acme-shop"')).toBeVisible();
  await expect(form.getByLabel("Identifier")).toHaveAttribute("aria-invalid", "true");
  expect(await db().community.count({ where: { slug: "acme-shop" } })).toBe(1);

  // Rate limit: a bad value is refused on the field, a good one saved and audited.
  await page.goto("/communities/acme-shop");
  const limit = page.getByLabel("Identity calls per minute per visitor address");
  await expect(limit).toHaveValue("600");
  await limit.fill("-5");
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(limit).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use 0 (no limit) or a number from 1 to 1,000,000")).toBeVisible();
  await limit.fill("120");
  await page.getByRole("button", { name: "Save limit" }).click();
  await expect(page.getByText("Saved: at most 120 identity calls per minute per visitor address.")).toBeVisible();
  expect((await db().community.findUniqueOrThrow({ where: { slug: "acme-shop" } })).rateLimitPerMinute).toBe(120);
  expect(
    await db().auditLog.count({ where: { action: "community.rate_limit", community: { slug: "acme-shop" } } }),
  ).toBe(1);

  // Rename: blank refused, then saved.
  await page.goto("/communities/acme-shop");
  const name = page.getByLabel("Community name");
  await name.fill("  ");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Enter a name")).toBeVisible();
  await name.fill("Acme Outlet");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Name saved.")).toBeVisible();
  expect((await db().community.findUniqueOrThrow({ where: { slug: "acme-shop" } })).name).toBe("Acme Outlet");

  // Delete: the dialog names what is lost; Escape cancels (keyboard), confirm deletes.
  await page.getByRole("button", { name: "Delete community…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete “Acme Outlet”?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("permanently deletes the community Acme Outlet (acme-shop)");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(await db().community.count({ where: { slug: "acme-shop" } })).toBe(1);

  await page.getByRole("button", { name: "Delete community…" }).click();
  await dialog.getByRole("button", { name: "Delete community" }).click();
  await expect(page).toHaveURL(/\/communities$/);
  await expect(page.getByRole("link", { name: "Acme Outlet" })).toHaveCount(0);
  expect(await db().community.count({ where: { slug: "acme-shop" } })).toBe(0);
  const audit = await db().auditLog.findMany({
    where: { targetLabel: "acme-shop" },
    select: { action: true, actorEmail: true },
  });
  expect(audit.map((a) => a.action).sort()).toEqual([
    "community.create",
    "community.delete",
    "community.rate_limit",
    "community.rename",
  ]);
  expect(new Set(audit.map((a) => a.actorEmail))).toEqual(new Set(["owner@example.com"]));
});
