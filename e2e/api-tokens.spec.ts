// API tokens in the console (docs/admin-api.md): an admin creates one (shown once, with a copy button), a request
// with it works, revoking it makes the next request 401.
import { expect, expectAccessible, storage, test } from "./helpers";

test.use({ storageState: storage.admin });

test("an admin creates an API token in the console, uses it, revokes it", async ({ page, request }) => {
  await page.goto("/accounts");
  await page.getByRole("link", { name: "API tokens" }).click();
  await expect(page).toHaveURL(/\/accounts\/api-tokens$/);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Name the token (what uses it)")).toBeVisible();
  await page.getByLabel("Name").fill("ci-pipeline");
  await page.getByLabel("Expires after (days, optional)").fill("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByLabel("API token ci-pipeline");
  await expect(shown).toHaveValue(/^vouch_[A-Za-z0-9_-]{43}$/);
  const token = await shown.inputValue();
  await expect(page.getByRole("button", { name: "Copy token" })).toBeVisible();
  await expectAccessible(page);

  const call = () => request.get("/api/v1/admin/communities", { headers: { authorization: `Bearer ${token}` } });
  const ok = await call();
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toHaveProperty("communities");

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "ci-pipeline" });
  await expect(row).toContainText("active");
  await expect(page.getByLabel("API token ci-pipeline")).toHaveCount(0); // never shown again
  await row.getByRole("button", { name: "Revoke…" }).click();
  await page
    .getByRole("dialog", { name: "Revoke the API token “ci-pipeline”?" })
    .getByRole("button", { name: "Revoke token" })
    .click();
  await expect(row).toContainText("revoked");
  const refused = await call();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: { code: "unauthorized", message: "This API token was revoked." } });
});
