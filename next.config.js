import path from "node:path";
import { fileURLToPath } from "node:url";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

const root = path.dirname(fileURLToPath(import.meta.url));

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return {
    poweredByHeader: false,
    // The build type-checks the app alone (tsconfig.build.json): a production install has no dev
    // dependencies, and the tests' types come from them. `npm test` checks everything with tsconfig.json.
    typescript: { tsconfigPath: "tsconfig.build.json" },
    // The server core (lib/, imported as @vouch/core/…). In production it is the package scripts/build.mjs
    // compiles into node_modules: Next loads it as an external, so the process holds one copy of every
    // module (one database client, one configuration cache) shared by every route and by the node:http
    // identity route in scripts/start.mjs — bundled, each route would get its own copy. Browsers, and
    // `next dev` (for hot reloading), get the TypeScript sources bundled.
    serverExternalPackages: dev ? [] : ["@vouch/core"],
    turbopack: {
      // A package-lock.json in a parent folder would otherwise make Turbopack pick the wrong root.
      root,
      resolveAlias: { "@vouch/core/*": dev ? "./lib/*" : { browser: "./lib/*" } },
    },
    async headers() {
      return [
        {
          // The widget is loaded by customers' websites: cacheable for a while, loadable from any origin.
          source: "/widget.js",
          headers: [
            { key: "Cache-Control", value: "public, max-age=300, stale-while-revalidate=3600" },
            { key: "Cross-Origin-Resource-Policy", value: "cross-origin" },
            { key: "Access-Control-Allow-Origin", value: "*" },
          ],
        },
        {
          source: "/((?!api/).*)",
          headers: [
            { key: "X-Frame-Options", value: "DENY" },
            { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
            { key: "X-Content-Type-Options", value: "nosniff" },
            { key: "Referrer-Policy", value: "same-origin" },
          ],
        },
      ];
    },
  };
}
