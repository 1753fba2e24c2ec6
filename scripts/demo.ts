// `npm run demo`: the demo shop (lib/demo/shop.ts) on its own origin; see DEMO_USAGE.
import crypto from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_USAGE, DemoConfigError, loadDemoConfig } from "../lib/demo/config";
import { createDemoShop } from "../lib/demo/shop";
import { readDemoKeyset, rotateDemoKeyset } from "../lib/demo/keyset";

function keygen(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { out: { type: "string" }, alg: { type: "string", default: "RS256" } },
    strict: true,
  });
  if (!values.out)
    throw new DemoConfigError(`keygen: --out <file> is required (where the private key goes)\n\n${DEMO_USAGE}`);
  const alg = values.alg;
  const { privateKey, publicKey } =
    alg === "RS256"
      ? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 })
      : alg === "ES256"
        ? crypto.generateKeyPairSync("ec", { namedCurve: "P-256" })
        : alg === "EdDSA"
          ? crypto.generateKeyPairSync("ed25519")
          : (() => {
              throw new DemoConfigError(`keygen: --alg must be RS256, ES256 or EdDSA, not "${alg}"`);
            })();
  fs.writeFileSync(values.out, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  console.error(`Private key written to ${values.out} (mode 0600). Public key for the console (${alg}):\n`);
  console.log(publicKey.export({ type: "spki", format: "pem" }).toString().trim());
}

function rotate(args: string[]) {
  const { values } = parseArgs({ args, options: { jwks: { type: "string" } }, strict: true });
  const file = values.jwks ?? process.env.VOUCH_DEMO_JWKS_FILE;
  if (!file) throw new DemoConfigError(`rotate: --jwks <file> is required (the demo shop's keyset)\n\n${DEMO_USAGE}`);
  const key = rotateDemoKeyset(file);
  console.log(
    `Published ${key.kid} in ${file}: the running demo shop signs with it now, and Vouch fetches it from the` +
      " JWKS URL on the first token that names it. Nothing to change in the console.",
  );
}

async function main(args: string[]) {
  if (args[0] === "--help" || args[0] === "-h") return console.log(DEMO_USAGE);
  if (args[0] === "keygen") return keygen(args.slice(1));
  if (args[0] === "rotate") return rotate(args.slice(1));
  const settings = loadDemoConfig(args);
  if (settings.signer.kind === "jwks" && readDemoKeyset(settings.signer.file).length === 0) {
    console.error(`Created ${settings.signer.file} with the key ${rotateDemoKeyset(settings.signer.file).kid}.`);
  }
  let origin = `http://${settings.host}:${settings.port}`;
  const shop = await createDemoShop(settings, () => origin);
  await new Promise<void>((resolve, reject) => {
    shop.server.once("error", reject);
    shop.server.listen(settings.port, settings.host, resolve);
  });
  const address = shop.server.address();
  if (address && typeof address === "object") origin = `http://${settings.host}:${address.port}`;
  const signing =
    settings.signer.kind === "unsigned"
      ? "unsigned identities"
      : settings.signer.kind === "jwks"
        ? `its keyset ${settings.signer.file}, published at ${origin}/.well-known/jwks.json`
        : `${settings.signer.kind} key ${settings.signer.kid}`;
  console.log(`Demo shop on ${origin} → community ${settings.community} at ${settings.vouch} (${signing})`);
  console.log(await shop.checkVouch(origin));
  const stop = () => shop.server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main(process.argv.slice(2)).catch((err) => {
  console.error(
    err instanceof DemoConfigError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
      ? (err as Error).message
      : err,
  );
  process.exit(2);
});
