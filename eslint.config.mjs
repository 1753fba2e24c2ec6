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
  // The server core is imported by its package name, @vouch/core/… (one copy in the production process:
  // scripts/build.mjs); only the Next.js glue in lib/next/ is imported by path.
  {
    files: ["app/**", "components/**", "lib/next/**", "proxy.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/lib/(?!next/)|(\\.\\./)+lib/)",
              message: "Import the server core as @vouch/core/… (see scripts/build.mjs).",
            },
            {
              // Its error classes would be a second copy: `instanceof` fails against what the core throws.
              regex: "^better-auth/(api|adapters)",
              message: "Sign-in and sessions live in the core (@vouch/core/auth).",
            },
            {
              // app/ holds routes and pages; what they share lives in components/ and lib/ (docs/architecture.md).
              regex: "^@/app/",
              message: "Nothing imports from app/: server actions live in lib/next/actions/.",
            },
          ],
        },
      ],
    },
  },
  // The core has no framework imports and never reaches into the Next.js glue.
  {
    files: ["lib/**"],
    ignores: ["lib/next/**", "lib/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^(next|react|react-dom|server-only)(/|$)", message: "lib/ is framework-free; see lib/next/." },
            { regex: "^\\.\\.?/(.*/)?next/", message: "The core does not import the Next.js glue in lib/next/." },
          ],
        },
      ],
    },
  },
  // CommonJS preloads for the Prisma CLI (scripts/prisma-preload.cjs) use require by nature.
  { files: ["**/*.cjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // Playwright fixtures receive a function named `use`: not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
]);
