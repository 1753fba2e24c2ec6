// The decision core stays pure: lib/identity/ imports neither the framework, nor the form layer,
// nor the database. Its words are defined once (vocabulary.ts) and the rest of the app reads them there.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const dir = import.meta.dirname;
const root = path.resolve(dir, "../..");
const sources = (d: string): string[] =>
  fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(d, e.name);
    if (e.isDirectory()) return ["node_modules", "generated", ".next"].includes(e.name) ? [] : sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [full] : [];
  });
const imports = (file: string) =>
  [...fs.readFileSync(file, "utf8").matchAll(/^import[^"']*["']([^"']+)["']/gm)].map((m) => m[1]!);

describe("lib/identity", () => {
  it("imports no framework, form-layer, database or data-access module", () => {
    const offending = sources(dir).flatMap((f) =>
      imports(f)
        .filter((i) => /^(next|react)(\/|$)|validations|\/dal\/|\/db(-raw)?$|prisma|server-only/.test(i))
        .map((i) => `${path.relative(root, f)} → ${i}`),
    );
    expect(offending).toEqual([]);
  });

  it("is the only place that spells the custom-field prefix, the skip reasons and the slug pattern", () => {
    const elsewhere = [
      ...sources(path.join(root, "lib")),
      ...sources(path.join(root, "app")),
      ...sources(path.join(root, "components")),
    ]
      .filter((f) => !f.endsWith(path.join("identity", "vocabulary.ts")))
      .flatMap((f) => {
        const text = fs.readFileSync(f, "utf8");
        return [
          /["'`]custom:["'`]|startsWith\("custom:"\)/.test(text) ? `${path.relative(root, f)}: "custom:"` : null,
          /"regex_mismatch"|"not_a_choice"/.test(text) && !f.includes("apply.ts")
            ? `${path.relative(root, f)}: a skip-reason list`
            : null,
          /\[a-z0-9\]\+\(\?:-\[a-z0-9\]\+\)\*/.test(text) ? `${path.relative(root, f)}: the slug pattern` : null,
        ].filter(Boolean);
      });
    expect(elsewhere).toEqual([]);
  });
});
