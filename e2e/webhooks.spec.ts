// Webhooks in the console (docs/reference.md, webhooks): an admin adds an endpoint (errors under the fields,
// the secret shown once), sends a test event and sees it delivered with its attempt; a visitor's identity
// arrives signed (verified here with the Standard Webhooks library); a failing receiver shows the next
// retry and "Redeliver"; rotate, disable, delete; a viewer reads only. Axe-clean throughout.
import { Webhook } from "standardwebhooks";
import { db, expect, expectAccessible, storage, test } from "./helpers";
import { createCommunity } from "../lib/dal/communities";
import { startReceiver } from "../tests/helpers/webhook-receiver";

test.use({ storageState: storage.admin });

test("an admin adds an endpoint, tests it, sees deliveries and retries; a viewer reads", async ({
  page,
  browser,
  request,
}) => {
  await createCommunity(null, { name: "Hook Shop", slug: "hook-e2e" });
  const receiver = await startReceiver();
  try {
    await page.goto("/communities/hook-e2e");
    await page.getByRole("navigation", { name: "Community sections" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByText("No webhook endpoints yet.")).toBeVisible();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Enter the endpoint's URL")).toBeVisible();
    await expect(page.getByText("Choose at least one event type")).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Endpoint URL").fill(receiver.url);
    await page.getByLabel("Description (optional)").fill("CRM sync");
    await page.getByRole("checkbox", { name: /identity\.created/ }).check();
    await page.getByRole("checkbox", { name: /identity\.erased/ }).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const shown = page.getByLabel("this endpoint's signing secret");
    await expect(shown).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const secret = await shown.inputValue();
    await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: receiver.url });
    await expect(row).toContainText("identity.created, identity.erased");
    await expect(row).toContainText("Enabled");
    await expectAccessible(page);

    // The endpoint's page: a test event, delivered and verified with the specification's library.
    await row.getByRole("link", { name: receiver.url }).click();
    await expect(page.getByRole("heading", { name: receiver.url })).toBeVisible();
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText(/Test event queued \(msg_/)).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    const test1 = receiver.received[0]!;
    expect(new Webhook(secret).verify(test1.body, test1.headers as Record<string, string>)).toMatchObject({
      type: "webhook.test",
      data: { community: "hook-e2e" },
    });

    // A visitor's identity through the public route: identity.created, signed alike.
    const visitor = await request.post("/api/v1/communities/hook-e2e/identity", {
      data: { identity: { uuid: "hook-visitor", firstname: "Ada" } },
    });
    expect(visitor.status()).toBe(200);
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
    const created = receiver.received[1]!;
    expect(new Webhook(secret).verify(created.body, created.headers as Record<string, string>)).toMatchObject({
      type: "identity.created",
      data: { uuid: "hook-visitor", fields: { firstname: "Ada" }, verified: false },
    });
    await page.reload();
    const messages = page.getByRole("table", { name: "Messages and their attempts" });
    await expect(messages.getByRole("row").filter({ hasText: "identity.created" })).toContainText("delivered");
    await expect(messages.getByRole("row").filter({ hasText: "webhook.test" })).toContainText("delivered");

    // The receiver fails: the attempt's status and answer are shown, with the next retry; Redeliver.
    receiver.answer = { status: 503, body: "maintenance window" };
    await request.post("/api/v1/communities/hook-e2e/identity", { data: { identity: { uuid: "hook-visitor-2" } } });
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(3);
    await expect
      .poll(async () => (await db().webhookMessage.findFirst({ where: { uuid: "hook-visitor-2" } }))?.attemptCount)
      .toBe(1);
    await page.reload();
    const failing = messages.getByRole("row").filter({ hasText: "pending · next" });
    await expect(failing.first()).toContainText("pending · next");
    await failing.first().getByText("1 attempt").click();
    await expect(failing.first()).toContainText("503");
    await expect(failing.first()).toContainText("maintenance window");
    await expect(page.getByText("Enabled, failing")).toBeVisible();
    receiver.answer = { status: 204 };
    await failing
      .first()
      .getByRole("button", { name: /^Redeliver msg_/ })
      .click();
    await expect(failing.first().getByText("Queued again.")).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(4);
    expect(receiver.received[3]!.headers["webhook-id"]).toBe(receiver.received[2]!.headers["webhook-id"]);
    await expectAccessible(page);

    // Rotate: the new secret once, the old one still signing for 24 hours.
    await page.getByRole("button", { name: "Rotate secret…" }).click();
    await page
      .getByRole("dialog", { name: /Rotate this endpoint's signing secret/ })
      .getByRole("button", { name: "Rotate secret" })
      .click();
    const rotated = page.getByLabel("the new signing secret");
    await expect(rotated).toHaveValue(/^whsec_/);
    expect(await rotated.inputValue()).not.toBe(secret);
    await expect(page.getByText(/The previous secret also signs until/)).toBeVisible();

    // A viewer reads the page, with no control to change anything.
    const viewerContext = await browser.newContext({ storageState: storage.viewer });
    const viewer = await viewerContext.newPage();
    await viewer.goto(page.url());
    await expect(viewer.getByRole("heading", { name: receiver.url })).toBeVisible();
    await expect(viewer.getByRole("button", { name: /Send test event|Disable|Rotate|Delete|Redeliver/ })).toHaveCount(
      0,
    );
    await expectAccessible(viewer);
    await viewerContext.close();

    // Disable, then delete.
    await page.getByRole("button", { name: "Disable" }).click();
    await expect(page.getByText("Endpoint disabled.")).toBeVisible();
    await expect(page.getByText("Disabled: disabled by an administrator")).toBeVisible();
    await page.getByRole("button", { name: "Delete…" }).click();
    await page
      .getByRole("dialog", { name: "Delete this webhook endpoint?" })
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await expect(page).toHaveURL(/\/communities\/hook-e2e\/webhooks$/);
    await expect(page.getByText("No webhook endpoints yet.")).toBeVisible();
    expect(await db().webhookEndpoint.count({ where: { community: { slug: "hook-e2e" } } })).toBe(0);
  } finally {
    await receiver.close();
  }
});
