import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumExecutable } from "./scripts/chromium.mjs";

// The server under test is the production build started the way users start it (npm start), on a
// fresh SQLite database in .e2e/. Specs read and seed that same database through lib/ (e2e/helpers.ts).
const root = import.meta.dirname;
const dataDir = path.join(root, ".e2e");
const port = Number(process.env.E2E_PORT ?? 3100);
process.env.VOUCH_DATA_DIR = dataDir;
process.env.LOG_LEVEL ??= "warn"; // the specs seed through lib/: its info logs are noise here
delete process.env.DATABASE_URL;

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromiumExecutable() ?? undefined,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: { baseURL: `http://127.0.0.1:${port}`, trace: "retain-on-failure" },
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts/, use: chromium },
    { name: "sign-in", testMatch: /auth\.setup\.ts/, dependencies: ["first-run"], use: chromium },
    { name: "chromium", testIgnore: /first-run\.spec\.ts|auth\.setup\.ts/, dependencies: ["sign-in"], use: chromium },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && node scripts/start.mjs`,
    // One trusted proxy hop: tests name their client with X-Forwarded-For (the sign-in throttle is per client).
    env: {
      PORT: String(port),
      VOUCH_DATA_DIR: dataDir,
      VOUCH_BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      VOUCH_TRUSTED_PROXY_HOPS: "1",
      // The JWKS spec publishes keys from a server on 127.0.0.1 (docs/reference.md's switch for tests).
      VOUCH_ALLOW_PRIVATE_URLS: "1",
    },
    url: `http://127.0.0.1:${port}/login`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
