// The README's picture of the console (docs/console.png), re-taken by every run of the suite so that it
// shows the console as it is: a community's Signed identities page, with keys, a token policy and a
// published keyset's warning absent. The page is checked, then photographed.
import path from "node:path";
import { expect, expectAccessible, storage, test } from "./helpers";
import { importCommunityConfig } from "../lib/dal/community-config";
import { signingKeyPair } from "../tests/helpers/keys";

test.use({ storageState: storage.admin, viewport: { width: 1280, height: 1600 } });

test("the README's screenshot: a community's Signed identities page", async ({ page }) => {
  await importCommunityConfig(null, {
    version: 1,
    community: {
      name: "Acme Shop",
      slug: "acme-shop",
      signed_identities: "require",
      allowed_origins: ["https://shop.example.com"],
      token_policy: {
        expected_issuer: "https://shop.example.com",
        expected_audience: "acme-shop",
        max_token_lifetime_minutes: 1440,
      },
      jwt_keys: [
        {
          kid: "prod_2026",
          algorithm: "HS256",
          secret: "9aeaf06388b8ab6487d1605b",
          expires_at: "2027-06-30T00:00:00Z",
        },
        { kid: "ec_main", algorithm: "ES256", public_key: signingKeyPair("ES256").publicPem },
      ],
    },
  });
  await page.goto("/communities/acme-shop/signed-identities");
  await expect(page.getByRole("heading", { name: "Signed identities", level: 2 })).toBeVisible();
  await expect(page.getByLabel("Expected audience (aud)")).toHaveValue("acme-shop");
  await expectAccessible(page);
  await page.screenshot({ path: path.join(import.meta.dirname, "..", "docs", "console.png") });
});
