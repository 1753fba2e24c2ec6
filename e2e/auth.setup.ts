import { OWNER, VIEWER, seedAccount, signIn, storage, test as setup } from "./helpers";

setup("sign in as the administrator", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.context().storageState({ path: storage.admin });
});

setup("sign in as a viewer", async ({ page }) => {
  await seedAccount(VIEWER.email, VIEWER.password, "viewer");
  await signIn(page, VIEWER.email, VIEWER.password);
  await page.context().storageState({ path: storage.viewer });
});
