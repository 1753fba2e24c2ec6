import type { Request } from "@playwright/test";
import { db, expectAccessible, storage, expect, test } from "./helpers";
import { createCommunity } from "../lib/dal/communities";

test("a viewer reads but cannot change anything, even by replaying an admin's server action", async ({ browser }) => {
  await createCommunity(null, { name: "Viewer Test Shop", slug: "viewer-shop" });

  // The admin renames the community; we capture the exact server-action request the browser sent.
  const adminContext = await browser.newContext({ storageState: storage.admin });
  const adminPage = await adminContext.newPage();
  await adminPage.goto("/communities/viewer-shop");
  const captured = new Promise<Request>((resolve) =>
    adminPage.on("request", (r) => r.method() === "POST" && r.headers()["next-action"] && resolve(r)),
  );
  await adminPage.getByLabel("Community name").fill("Renamed By Admin");
  await adminPage.getByRole("button", { name: "Save name" }).click();
  await expect(adminPage.getByText("Name saved.")).toBeVisible();
  const action = await captured;
  await adminContext.close();

  // The viewer sees the community, without any control to change it.
  const viewerContext = await browser.newContext({ storageState: storage.viewer });
  const page = await viewerContext.newPage();
  await page.goto("/communities");
  await expect(page.getByRole("link", { name: "Renamed By Admin" })).toBeVisible();
  await expect(page.getByRole("region", { name: "New community" })).toHaveCount(0);
  await page.goto("/communities/viewer-shop");
  await expect(page.getByText("You have read-only access.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Save name|Delete/ })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto("/accounts");
  await expect(page.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "New account" })).toHaveCount(0);

  // Replaying the admin's request (same action id and body) with the viewer's session is refused.
  const body = action.postData()!.replace("Renamed By Admin", "Hacked By Viewer");
  const headers = action.headers();
  const response = await page.request.post(action.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"]!,
      accept: "text/x-component",
      origin: new URL(action.url()).origin,
    },
    data: body,
  });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain("Your role does not allow you to rename communities");
  expect((await db().community.findUniqueOrThrow({ where: { slug: "viewer-shop" } })).name).toBe("Renamed By Admin");

  // Sent from another site (a forged form or fetch riding a session): 403 with the reason, never a 500.
  const foreign = await page.request.post(action.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"]!,
      accept: "text/x-component",
      origin: "https://evil.example",
    },
    data: body,
  });
  expect(foreign.status()).toBe(403);
  expect(await foreign.text()).toBe(
    "Forbidden: this console's actions can only be sent from its own pages, not from https://evil.example.",
  );
  expect((await db().community.findUniqueOrThrow({ where: { slug: "viewer-shop" } })).name).toBe("Renamed By Admin");

  // Without any session, the same request is turned away to sign-in before it reaches the action.
  const anonymous = await browser.newContext();
  const anon = await anonymous.request.post(action.url(), {
    headers: {
      "next-action": headers["next-action"]!,
      "content-type": headers["content-type"]!,
      accept: "text/x-component",
      origin: new URL(action.url()).origin,
    },
    data: body,
    maxRedirects: 0,
  });
  expect(anon.status()).toBe(307);
  expect(anon.headers()["location"]).toMatch(/\/login\?next=%2Fcommunities%2Fviewer-shop$/);
  expect((await db().community.findUniqueOrThrow({ where: { slug: "viewer-shop" } })).name).toBe("Renamed By Admin");
  await anonymous.close();
  await viewerContext.close();
});
