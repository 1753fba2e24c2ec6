// The demo shop's own published keyset (issue 11): ES256 keys kept in one JSON file (mode 0600), the
// newest signing, all of them published at /.well-known/jwks.json. `npm run demo -- rotate` adds a key:
// the running shop signs with it at once, and Vouch picks it up from the JWKS URL — keyless rotation,
// with nothing to change in the console. A demonstration: a real site keeps private keys in a vault.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export interface DemoKey {
  kid: string;
  privateKeyPem: string;
  createdAt: string;
}

export function readDemoKeyset(file: string): DemoKey[] {
  if (!fs.existsSync(file)) return [];
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { keys?: DemoKey[] };
  if (!Array.isArray(parsed.keys)) throw new Error(`${file} is not a demo keyset (no "keys" array)`);
  return parsed.keys;
}

/** Adds a new ES256 key ("shop-<n>") and returns it; the file is created when missing. */
export function rotateDemoKeyset(file: string, now = new Date()): DemoKey {
  const keys = readDemoKeyset(file);
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const key: DemoKey = {
    kid: `shop-${keys.length + 1}`,
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    createdAt: now.toISOString(),
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const next = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(next, JSON.stringify({ keys: [...keys, key] }, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(next, file); // whole or not at all: the running shop may be reading it
  return key;
}

/** The public halves, as a JSON Web Key Set. */
export function publicJwks(keys: DemoKey[]) {
  return {
    keys: keys.map((k) => ({
      ...crypto.createPublicKey(k.privateKeyPem).export({ format: "jwk" }),
      kid: k.kid,
      use: "sig",
      alg: "ES256",
    })),
  };
}
