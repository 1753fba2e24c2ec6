// Rollout insight in the browser (docs/operating.md): the Overview's chart and its table, the most frequent refusals
// linking to the filtered verification log, and the guard when switching accept → require.
import crypto from "node:crypto";
import { SignJWT } from "jose";
import { db, expect, expectAccessible, storage, test } from "./helpers";
import { importCommunityConfig } from "../lib/dal/community-config";

test.use({ storageState: storage.admin });

const SECRET = crypto.randomBytes(12).toString("hex");

test("the Overview shows the rollout, links refusals to the log, and the guard says what require would refuse", async ({
  page,
  request,
}) => {
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Insight Shop",
      slug: "insight-shop",
      signed_identities: "accept",
      clock_skew_seconds: 10,
      allowed_origins: [],
      jwt_keys: [{ kid: "k1", algorithm: "HS256", secret: SECRET }],
      custom_fields: [],
      extra_value_mappings: [],
    },
  });
  const route = "/api/v1/communities/insight-shop/identity";
  const token = (secret: string) =>
    new SignJWT({ uuid: `v${crypto.randomUUID()}` })
      .setProtectedHeader({ alg: "HS256", kid: "k1", typ: "JWT" })
      .setExpirationTime("2h")
      .sign(new TextEncoder().encode(secret));
  for (let i = 0; i < 3; i++)
    expect((await request.post(route, { data: { identity: { uuid: `a${i}` } } })).status()).toBe(200);
  expect((await request.post(route, { data: { signed_identity: await token(SECRET) } })).status()).toBe(200);
  for (let i = 0; i < 2; i++)
    expect((await request.post(route, { data: { signed_identity: await token("f".repeat(24)) } })).status()).toBe(401);

  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const rollout = page.getByRole("region", { name: "Identities" });
  const hour = `${new Date().toISOString().slice(11, 13)}:00`;
  await expect(async () => {
    // Counts are written every 2 s — the accepted ones and the refusals may land in different writes.
    await page.goto("/communities/insight-shop");
    await expect(rollout).toContainText("Verified among accepted identities, last 7 days: 25.0% (1 of 4).");
    await rollout.getByText("Last 24 hours, per hour: the numbers as a table").click();
    await expect(
      rollout.getByRole("table", { name: "Last 24 hours, per hour" }).getByRole("row", { name: hour }),
    ).toHaveText(`${hour}132`, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(rollout.getByRole("img", { name: "Last 24 hours, per hour: bar chart" })).toBeVisible();
  await expectAccessible(page);

  // The most frequent refusal links to the log, filtered by its code.
  await rollout.getByRole("link", { name: "bad_signature" }).click();
  await expect(page).toHaveURL(/\/communities\/insight-shop\/verification-log\?code=bad_signature$/);
  await expect(page.getByLabel("Code")).toHaveValue("bad_signature");
  await expect(page.getByRole("status")).toHaveText("Refusals 1–2 of 2.");
  await expect(page.getByRole("row").filter({ hasText: "bad_signature" })).toHaveCount(2);
  await page.getByLabel("Key ID").fill("nope");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kid=nope/);
  await expect(page.getByRole("status")).toHaveText("No refusals match.");
  await expectAccessible(page);

  // accept → require with 25% verified: the confirmation says how many would have been refused.
  await page.goto("/communities/insight-shop/signed-identities");
  await page.getByRole("radio", { name: /Require signed identities/ }).check();
  await page.getByRole("button", { name: "Save mode" }).click();
  const confirm = page.getByRole("dialog", { name: "Require signed identities?" });
  await expect(confirm).toContainText(
    "Only 25% of the identities accepted in the last 7 days were verified: 3 of 4 were unsigned and would have been refused.",
  );
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Cancel" }).click();
  expect((await db().community.findUniqueOrThrow({ where: { slug: "insight-shop" } })).signedIdentities).toBe("accept");
  await page.getByRole("button", { name: "Save mode" }).click();
  await confirm.getByRole("button", { name: "Require signed identities" }).click();
  await expect(page.getByText("Saved: signed identities are now “require”")).toBeVisible();
  expect(violations).toEqual([]);
});
