import { db, expect, expectAccessible, seedAccount, signIn, test } from "./helpers";

// Accounts of their own: ending sessions here must not end the ones other specs share (storage states).
const PASSWORD = "sessions password 1";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

test("an account sees its sessions and signs the others out; an admin ends an account's sessions, or demotes it", async ({
  browser,
}) => {
  const stamp = Date.now();
  const admin = await seedAccount(`sessions-${stamp}@example.com`, PASSWORD, "admin");
  const viewer = await seedAccount(`sessions-viewer-${stamp}@example.com`, PASSWORD, "viewer");
  const other = await seedAccount(`sessions-admin2-${stamp}@example.com`, PASSWORD, "admin");

  const here = await (await browser.newContext()).newPage();
  // The e2e server trusts one proxy hop: the address this browser signs in from is the one "its proxy" wrote.
  const laptop = await (
    await browser.newContext({ userAgent: FIREFOX, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.50" } })
  ).newPage();
  await signIn(here, admin.email, PASSWORD);
  await signIn(laptop, admin.email, PASSWORD);

  await here.goto("/accounts");
  const sessions = here.getByRole("region", { name: "Your sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(3); // a header and two sessions
  await expect(sessions.getByRole("row").nth(1)).toContainText("(this browser)");
  await expect(sessions.getByRole("row").nth(2)).toContainText("Firefox 133 on Windows");
  await expect(sessions.getByRole("row").nth(2)).toContainText("203.0.113.50");
  await expectAccessible(here);

  await sessions.getByRole("button", { name: "Sign out other sessions…" }).click();
  const dialog = here.getByRole("dialog", { name: "Sign out your other sessions?" });
  await expect(dialog).toContainText("The other browser signed in to your account");
  await dialog.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(dialog).toBeHidden();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  await expect(sessions).toContainText("This browser is your only session.");
  expect(await db().session.count({ where: { userId: admin.id } })).toBe(1);
  // The other browser's next page is the sign-in page; this one stays signed in.
  await laptop.goto("/communities");
  await expect(laptop).toHaveURL(/\/login/);
  await here.reload();
  await expect(here).toHaveURL(/\/accounts$/);

  // An administrator ends every session of another account.
  const viewerPage = await (await browser.newContext()).newPage();
  await signIn(viewerPage, viewer.email, PASSWORD);
  const row = here.getByRole("row").filter({ hasText: viewer.email });
  await row.getByRole("button", { name: "End sessions…" }).click();
  const end = here.getByRole("dialog", { name: `End every session of ${viewer.email}?` });
  await expectAccessible(here);
  await end.getByRole("button", { name: "End sessions" }).click();
  await expect(end).toBeHidden();
  expect(await db().session.count({ where: { userId: viewer.id } })).toBe(0);
  await viewerPage.goto("/communities");
  await expect(viewerPage).toHaveURL(/\/login/);

  // Demoting an administrator ends its sessions at once.
  const otherPage = await (await browser.newContext()).newPage();
  await signIn(otherPage, other.email, PASSWORD);
  await here.getByLabel(`Role of ${other.email}`).selectOption("viewer");
  await expect.poll(async () => (await db().user.findUniqueOrThrow({ where: { id: other.id } })).role).toBe("viewer");
  expect(await db().session.count({ where: { userId: other.id } })).toBe(0);
  await otherPage.goto("/accounts");
  await expect(otherPage).toHaveURL(/\/login/);

  const audit = await db().auditLog.findMany({
    where: {
      action: { in: ["session.end_others", "account.sign_out", "account.role_change"] },
      actorEmail: admin.email,
    },
    orderBy: { createdAt: "asc" },
  });
  expect(audit.map((a) => [a.action, a.targetLabel, JSON.parse(a.details).sessions_ended])).toEqual([
    ["session.end_others", admin.email, 1],
    ["account.sign_out", viewer.email, 1],
    ["account.role_change", other.email, 1],
  ]);
});

test("an admin disables an account: its browser is sent to sign-in, which refuses it until enabled", async ({
  browser,
  page,
}) => {
  const stamp = Date.now();
  const admin = await seedAccount(`disabler-${stamp}@example.com`, PASSWORD, "admin");
  const viewer = await seedAccount(`paused-${stamp}@example.com`, PASSWORD, "viewer");
  await signIn(page, admin.email, PASSWORD);
  const viewerPage = await (await browser.newContext()).newPage();
  await signIn(viewerPage, viewer.email, PASSWORD);

  await page.goto("/accounts");
  const row = page.getByRole("row").filter({ hasText: viewer.email });
  await row.getByRole("button", { name: "Disable…" }).click();
  const dialog = page.getByRole("dialog", { name: `Disable ${viewer.email}?` });
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Disable account" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();
  expect((await db().user.findUniqueOrThrow({ where: { id: viewer.id } })).disabledAt).not.toBeNull();
  expect(await db().session.count({ where: { userId: viewer.id } })).toBe(0);

  await viewerPage.goto("/communities");
  await expect(viewerPage).toHaveURL(/\/login/);
  await viewerPage.getByLabel("E-mail address").fill(viewer.email);
  await viewerPage.getByLabel("Password").fill(PASSWORD);
  await viewerPage.getByRole("button", { name: "Sign in" }).click();
  await expect(viewerPage.getByText("This account is disabled.")).toBeVisible();
  await expect(viewerPage).toHaveURL(/\/login/);

  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByText("disabled", { exact: true })).toHaveCount(0);
  await signIn(viewerPage, viewer.email, PASSWORD);
});
