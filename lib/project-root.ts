// The project's folder (prisma/, scripts/), found from this module's own location: lib/ when run from
// source, node_modules/@vouch/core/… when compiled (scripts/build.mjs). No framework imports.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function find(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (
      fs.existsSync(manifest) &&
      (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "vouch"
    ) {
      return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("Vouch's project folder (package.json named vouch) not found above " + dir);
    dir = up;
  }
}

export const projectRoot = find();
