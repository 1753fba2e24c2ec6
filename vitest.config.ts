import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const integration = (name: "sqlite" | "postgres") => ({
  extends: true as const,
  test: {
    name,
    include: ["tests/integration/**/*.test.ts"],
    globalSetup: ["tests/setup/global-db.ts"],
    setupFiles: ["tests/setup/env.ts"],
    // One database per project; files share it, so they run one after another (each test resets it).
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

export default defineConfig({
  resolve: {
    alias: {
      // The server core from its sources (production loads the compiled package: scripts/build.mjs).
      "@vouch/core": path.join(root, "lib"),
      "@": root,
      // Outside Next's react-server build, "server-only" throws on import by design.
      "server-only": path.join(root, "tests/setup/server-only.ts"),
    },
  },
  test: {
    env: { NODE_ENV: "test" },
    projects: [
      { extends: true, test: { name: "unit", include: ["lib/**/*.test.ts", "components/**/*.test.ts"] } },
      integration("sqlite"),
      integration("postgres"),
    ],
  },
});
