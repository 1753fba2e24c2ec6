// The Identities page (docs/reference.md): search by uuid, e-mail or name, verified or not; pages; one identity's
// view with "Export JSON" (a download of the identity document) and "Erase…" behind a confirmation — which
// removes the identity and its verification-log entries and leaves an audit entry without values.
import fs from "node:fs";
import { db, expect, expectAccessible, storage, test } from "./helpers";
import { importCommunityConfig } from "../lib/dal/community-config";
import { nowS, signHs256 } from "../tests/helpers/tokens";

const SLUG = "people-shop";
const SECRET = "0123456789abcdef01234567";
const base = `/communities/${SLUG}/identities`;
const ODD_UUID = "visitor 7/ä%";

test.beforeAll(async ({ request }) => {
  await db().community.deleteMany({ where: { slug: SLUG } }); // a rerun starts clean
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "People Shop",
      slug: SLUG,
      signed_identities: "accept",
      rate_limit_per_minute: 10_000,
      jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: SECRET }],
    },
  });
  const communityId = (await db().community.findUniqueOrThrow({ where: { slug: SLUG } })).id;
  // 60 older identities, so the list has a second page.
  await db().identity.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      communityId,
      uuid: `old-${String(i).padStart(2, "0")}`,
      updatedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    })),
  });
  const post = async (data: unknown) =>
    expect((await request.post(`/api/v1/communities/${SLUG}/identity`, { data })).status()).toBe(200);
  const jane = await signHs256(
    SECRET,
    { uuid: "u-jane", firstname: "Jane", lastname: "Doe", email: "jane@example.com", exp: nowS() + 7200 },
    { kid: "k1" },
  );
  await post({ signed_identity: jane });
  await post({ identity: { uuid: ODD_UUID, screenname: "Odd One", email: "odd@example.com" } });
  await post({ identity: { uuid: "u-vera", firstname: "Vera" } });
  // Unsigned data for Jane's verified identity is refused and logged with her uuid: erasure removes that too.
  const refused = await request.post(`/api/v1/communities/${SLUG}/identity`, {
    data: { identity: { uuid: "u-jane", firstname: "Mallory" } },
  });
  expect(refused.status()).toBe(403);
  // A visitor whose every request was refused: no identity, but log entries that erasure finds all the same.
  const forged = await signHs256(SECRET.replace("0", "f"), { uuid: "u-ghost", exp: nowS() + 7200 }, { kid: "k1" });
  const ghost = await request.post(`/api/v1/communities/${SLUG}/identity`, { data: { signed_identity: forged } });
  expect(ghost.status()).toBe(401);
});

test.describe("as an administrator", () => {
  test.use({ storageState: storage.admin });

  test("searches, pages, views, exports and erases an identity", async ({ page }) => {
    await page.goto(base);
    const list = page.getByRole("list", { name: "Identities" });
    await expect(list.getByRole("listitem")).toHaveCount(50);
    await page.getByRole("link", { name: "Older →" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(13);
    await expect(list.getByRole("listitem").last()).toHaveAccessibleName("Identity old-00");
    await page.getByRole("link", { name: "← Newest" }).click();
    await expect(list.getByRole("listitem").first()).toHaveAccessibleName("Identity u-vera");

    await page.getByRole("searchbox", { name: "Search" }).fill("JANE D");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\?q=JANE\+D&verified=$/); // a link to this search
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list.getByRole("listitem")).toHaveAccessibleName("Identity u-jane");
    await page.getByLabel("Verified").selectOption("unverified");
    await expect(list.getByRole("listitem")).toHaveCount(1); // (not yet submitted)
    await page.getByRole("button", { name: "Search" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(0);
    await page.getByLabel("Verified").selectOption("verified");
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list.getByRole("listitem")).toHaveAccessibleName("Identity u-jane");
    await page.getByLabel("Verified").selectOption("any");
    await page.getByRole("searchbox", { name: "Search" }).fill(ODD_UUID);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(list.getByRole("listitem")).toHaveAccessibleName(`Identity ${ODD_UUID}`);
    await page.goto(`${base}?limit=0`);
    await expect(page.getByRole("alert").filter({ hasText: "limit" })).toHaveText("limit: a whole number, 1–200");
    await page.goto(`${base}?q=nobody-at-all`);
    await expect(page.getByText("No identity matches this search.")).toBeVisible();
    await expectAccessible(page);

    // An odd uuid survives the trip through the address.
    await page.goto(`${base}?q=${encodeURIComponent(ODD_UUID)}`);
    await page.getByRole("link", { name: ODD_UUID }).click();
    await expect(page.getByRole("heading", { name: `Identity ${ODD_UUID}` })).toBeVisible();

    await page.goto(`${base}?q=jane`);
    await page.getByRole("link", { name: "u-jane" }).click();
    await expect(page).toHaveURL(`${base}/u-jane`);
    await expect(page.getByRole("heading", { name: "Identity u-jane" })).toBeVisible();
    await expect(page.getByText("jane@example.com")).toBeVisible();
    await expectAccessible(page);

    await expect(page.getByText(/data last changed .+ UTC · last seen .+ UTC/)).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSON" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`identity-${SLUG}-u-jane.json`);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
    expect(exported).toMatchObject({
      uuid: "u-jane",
      verified: true,
      kid: "k1",
      fields: { firstname: "Jane", lastname: "Doe", email: "jane@example.com" },
      sources: { firstname: "attribute", lastname: "attribute", email: "attribute" },
    });
    // Both instants: when the data last changed, when the visitor was last seen.
    expect(Date.parse(exported.last_seen_at)).toBeGreaterThanOrEqual(Date.parse(exported.updated_at));
    expect(Object.keys(exported).sort()).toEqual([
      "automated_uuid",
      "created_at",
      "custom_fields",
      "extra_values",
      "fields",
      "kid",
      "last_seen_at",
      "sources",
      "updated_at",
      "uuid",
      "verified",
    ]);

    const communityId = (await db().community.findUniqueOrThrow({ where: { slug: SLUG } })).id;
    await expect(async () => {
      // refusals are written in batches (every 2 s)
      expect(await db().verificationLog.count({ where: { communityId, uuid: "u-jane" } })).toBe(1);
    }).toPass({ timeout: 15_000 });

    await page.getByRole("button", { name: "Erase…" }).click();
    const dialog = page.getByRole("dialog", { name: "Erase this identity?" });
    await expect(dialog).toContainText("every verification-log entry recorded for its uuid");
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Erase identity" }).click();
    await expect(page).toHaveURL(base);
    await expect(page.getByRole("listitem", { name: "Identity u-jane" })).toHaveCount(0);

    expect(await db().identity.count({ where: { communityId, uuid: "u-jane" } })).toBe(0);
    expect(await db().verificationLog.count({ where: { communityId, uuid: "u-jane" } })).toBe(0);
    const audit = await db().auditLog.findFirstOrThrow({ where: { communityId, action: "identity.erase" } });
    expect(audit.actorEmail).toBe("owner@example.com");
    expect(JSON.stringify(audit)).not.toMatch(/u-jane|Jane|jane@example\.com/);

    await page.goto(`${base}/u-jane`);
    await expect(page.getByRole("heading", { name: /not found/i })).toBeVisible();

    // A uuid only ever refused: the search offers its page, which erases its log entries.
    await expect(async () => {
      expect(await db().verificationLog.count({ where: { communityId, uuid: "u-ghost" } })).toBe(1);
    }).toPass({ timeout: 15_000 });
    await page.goto(`${base}?q=u-ghost`);
    await expect(page.getByText("No identity matches this search.")).toBeVisible();
    await page.getByRole("link", { name: "1 refused request named this uuid" }).click();
    await expect(page.getByRole("heading", { name: "Uuid u-ghost" })).toBeVisible();
    await expect(page.getByText("No identity is stored for this uuid")).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Erase…" }).click();
    const ghostDialog = page.getByRole("dialog", { name: "Erase what is recorded for this uuid?" });
    await ghostDialog.getByRole("button", { name: "Erase log entries" }).click();
    await expect(page).toHaveURL(base);
    expect(await db().verificationLog.count({ where: { communityId, uuid: "u-ghost" } })).toBe(0);
    await page.goto(`${base}/u-ghost`);
    await expect(page.getByRole("heading", { name: /not found/i })).toBeVisible();
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storage.viewer });

  test("can view and export, not erase", async ({ page }) => {
    await page.goto(`${base}/u-vera`);
    await expect(page.getByRole("heading", { name: "Identity u-vera" })).toBeVisible();
    await expect(page.getByText("Unverified")).toBeVisible();
    await expect(page.getByRole("button", { name: "Export JSON" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Erase…" })).toHaveCount(0);
  });
});
