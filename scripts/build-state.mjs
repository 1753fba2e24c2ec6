// What `npm run build` built from, so that `npm start` can refuse a build older than the sources.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The server core, compiled: a package in node_modules, so that Next.js loads it as an external. */
export const coreDir = path.join(root, "node_modules/@vouch/core");
const marker = path.join(root, ".next/vouch-source-hash");

const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "scripts/build.mjs",
];

/** A hash of everything the build reads (generated Prisma clients included: they are under lib/). */
export function sourceHash() {
  const hash = crypto.createHash("sha256");
  const visit = (rel) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    const stat = fs.statSync(full);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) visit(path.join(rel, name));
    } else if (!rel.endsWith(".test.ts")) {
      hash.update(rel).update("\0").update(fs.readFileSync(full)).update("\0");
    }
  };
  SOURCES.forEach(visit);
  return hash.digest("hex");
}

/** Null when the build is current, else why not (for the message `npm start` prints). */
export function buildProblem() {
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID")) || !fs.existsSync(marker)) return "there is no build";
  if (!fs.existsSync(path.join(coreDir, "package.json"))) return "the compiled server core is missing";
  if (fs.readFileSync(marker, "utf8") !== sourceHash()) return "the sources changed since the last build";
  return null;
}

export function recordBuild(hash) {
  fs.writeFileSync(marker, hash);
}
