// ESLint (flat config): Next.js's rules (React, hooks, accessibility, core web vitals) and
// typescript-eslint's, over the whole tree. Formatting is Prettier's (.prettierrc.json), not ESLint's.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "lib/generated/**",
    "node_modules/**",
    "data/**",
    ".e2e/**",
    ".test-results/**",
    "test-results/**",
    "playwright-report/**",
    "bench-results/**",
    "next-env.d.ts",
  ]),
  {
    rules: {
      // `_`-prefixed parameters are deliberately unused (callbacks with a fixed signature).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Prettier wraps code at 120; this catches what it cannot (comments). Long strings, templates,
      // regexes and URLs stay whole: cutting them hurts reading and searching more than it helps.
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  // CommonJS preloads for the Prisma CLI (scripts/prisma-preload.cjs) use require by nature.
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // Playwright fixtures receive a function named `use`: not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
]);
