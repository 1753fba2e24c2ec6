// Which Chromium the browser tests drive: CHROMIUM_PATH when set, else Playwright's own browser when
// it is installed, else Debian's /usr/bin/chromium (Playwright's download does not work on every machine).
import fs from "node:fs";
import { chromium } from "@playwright/test";

export const CHROMIUM_INSTALL_HINT =
  "install one: `npx playwright install chromium` (Playwright's own build) or " +
  "`apt-get install -y --no-install-recommends chromium` (Debian's), or point CHROMIUM_PATH at a Chromium";

/** A path to launch; undefined: Playwright's own browser; null: none found. */
export function chromiumExecutable() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  let own;
  try {
    own = chromium.executablePath();
  } catch {
    own = undefined;
  }
  if (own && fs.existsSync(own)) return undefined;
  return fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}
