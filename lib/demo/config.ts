// The demo shop's settings, from flags and environment, validated like every other input.
// The signing secret or private key never comes from a flag (flags show up in `ps`).
import crypto from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { slugSchema } from "../validations/community";
import { hmacSecretSchema, kidSchema } from "../validations/jwt-key";
import type { PublicKeyAlgorithm } from "../identity/vocabulary";

/** The algorithm a private key signs with: RSA → RS256, EC P-256 → ES256, Ed25519 → EdDSA. */
function signingAlgorithm(file: string, pem: string): PublicKeyAlgorithm {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(pem);
  } catch {
    throw new DemoConfigError(`--private-key: ${file} could not be read as a private key`);
  }
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ed25519") return "EdDSA";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw new DemoConfigError(
    `--private-key: ${file} is a ${key.asymmetricKeyType} key${key.asymmetricKeyDetails?.namedCurve ? ` on ${key.asymmetricKeyDetails.namedCurve}` : ""}; Vouch takes RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA)`,
  );
}

export const DEMO_USAGE = `Usage: npm run demo -- --community <slug> [options]
       npm run demo -- keygen --out <private-key.pem> [--alg RS256|ES256|EdDSA]
       npm run demo -- rotate --jwks <keyset.json>

Runs a fake shop whose visitors the Vouch widget identifies. Signed-in customers get a JWT signed
by the shop's server; without --kid they are sent as unsigned identities.

Options:
  --vouch <url>          Vouch's address (default http://127.0.0.1:3000; env VOUCH_DEMO_URL)
  --community <slug>     the community to identify visitors in (env VOUCH_DEMO_COMMUNITY)
  --kid <kid>            the community key that signs tokens (env VOUCH_DEMO_KID)
  --private-key <file>   RS256, ES256, EdDSA: PKCS#8 PEM private key file, its type decides the
                         algorithm (env VOUCH_DEMO_PRIVATE_KEY_FILE)
                         HS256: the key's secret in env VOUCH_DEMO_SECRET
  --jwks <file>          publish the shop's own keys at /.well-known/jwks.json and sign with the newest
                         (created with one ES256 key when missing; env VOUCH_DEMO_JWKS_FILE). Set the
                         community's JWKS URL to it; no --kid needed
  --ttl <seconds>        token lifetime, 3700–86400 (default 7200; Vouch wants at least 1 hour)
  --port <port>          default 4000, 0 for any free one (env VOUCH_DEMO_PORT); --host default 127.0.0.1

Webhooks: add <shop>/webhooks/vouch as an endpoint on the community's Webhooks page and start the shop with
its secret in env VOUCH_DEMO_WEBHOOK_SECRET (whsec_…): the shop verifies each one with the Standard
Webhooks library and lists the newest at /webhooks (Vouch needs VOUCH_ALLOW_PRIVATE_URLS=1 to send to
127.0.0.1).

keygen writes a new private key (mode 0600; RSA-2048 by default, --alg ES256 for P-256, --alg EdDSA
for Ed25519) and prints its public key: paste that into the community's Signed identities page as a
key of that algorithm. rotate adds a new key to a --jwks keyset: the running shop signs with it at once
and Vouch picks it up from the JWKS URL, with nothing to change in the console.`;

const httpUrl = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "must be an http:// or https:// address")
  .transform((v) => new URL(v).origin + new URL(v).pathname.replace(/\/+$/, ""));

export const demoConfigSchema = z
  .object({
    vouch: httpUrl.default("http://127.0.0.1:3000"),
    community: z
      .string({ error: "is required: the community's identifier, as in its console address" })
      .pipe(slugSchema),
    kid: kidSchema.optional(),
    secret: hmacSecretSchema.optional(),
    privateKeyFile: z.string().min(1).optional(),
    jwksFile: z.string().min(1).optional(),
    ttl: z.coerce
      .number()
      .int()
      .min(3700, "must be at least 3700 s: Vouch refuses tokens that expire within the hour")
      .max(86400)
      .default(7200),
    webhookSecret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{20,}$/, "must be the endpoint's signing secret as Vouch showed it (whsec_…)")
      .optional(),
    port: z.coerce.number().int().min(0).max(65535).default(4000), // 0: any free port
    host: z.string().min(1).default("127.0.0.1"),
  })
  .superRefine((c, ctx) => {
    if (c.jwksFile && (c.kid || c.secret || c.privateKeyFile))
      ctx.addIssue({
        code: "custom",
        path: ["jwksFile"],
        message: "signs with the keyset's newest key: give it without --kid, --private-key or VOUCH_DEMO_SECRET",
      });
    if (c.secret && c.privateKeyFile)
      ctx.addIssue({
        code: "custom",
        path: ["privateKeyFile"],
        message: "give either VOUCH_DEMO_SECRET (HS256) or --private-key (RS256, ES256, EdDSA), not both",
      });
    if (c.kid && !c.secret && !c.privateKeyFile)
      ctx.addIssue({
        code: "custom",
        path: ["kid"],
        message: "needs VOUCH_DEMO_SECRET (HS256) or --private-key (RS256, ES256, EdDSA) to sign with",
      });
    if (!c.kid && (c.secret || c.privateKeyFile))
      ctx.addIssue({
        code: "custom",
        path: ["kid"],
        message: "is required to sign tokens: the key id shown in the console",
      });
  });

export type DemoConfig = z.output<typeof demoConfigSchema>;

export type DemoSigner =
  | { kind: "unsigned" }
  | { kind: "HS256"; kid: string; secret: string }
  | { kind: PublicKeyAlgorithm; kid: string; privateKeyPem: string }
  | { kind: "jwks"; file: string };

export type DemoSettings = Omit<DemoConfig, "secret" | "privateKeyFile" | "kid" | "jwksFile"> & {
  signer: DemoSigner;
};

const FLAG_NAMES: Record<string, string> = {
  privateKeyFile: "--private-key",
  secret: "VOUCH_DEMO_SECRET",
  jwksFile: "--jwks",
  webhookSecret: "VOUCH_DEMO_WEBHOOK_SECRET",
};

export class DemoConfigError extends Error {}

/** Flags win over environment variables. Throws DemoConfigError listing every problem. */
export function loadDemoConfig(args: string[], env: Record<string, string | undefined> = process.env): DemoSettings {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        vouch: { type: "string" },
        community: { type: "string" },
        kid: { type: "string" },
        "private-key": { type: "string" },
        jwks: { type: "string" },
        ttl: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
      },
    }).values as Record<string, string | undefined>;
  } catch (err) {
    throw new DemoConfigError(`${(err as Error).message}\n\n${DEMO_USAGE}`);
  }
  const parsed = demoConfigSchema.safeParse({
    vouch: values.vouch ?? env.VOUCH_DEMO_URL,
    community: values.community ?? env.VOUCH_DEMO_COMMUNITY,
    kid: values.kid ?? env.VOUCH_DEMO_KID,
    secret: env.VOUCH_DEMO_SECRET || undefined,
    privateKeyFile: values["private-key"] ?? env.VOUCH_DEMO_PRIVATE_KEY_FILE,
    jwksFile: values.jwks ?? env.VOUCH_DEMO_JWKS_FILE,
    ttl: values.ttl ?? env.VOUCH_DEMO_TTL,
    port: values.port ?? env.VOUCH_DEMO_PORT,
    host: values.host,
    webhookSecret: env.VOUCH_DEMO_WEBHOOK_SECRET || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? "");
      return `  ${FLAG_NAMES[name] ?? `--${name}`}: ${i.message}`;
    });
    throw new DemoConfigError(`Invalid demo settings:\n${lines.join("\n")}\n\n${DEMO_USAGE}`);
  }
  const { secret, privateKeyFile, kid, jwksFile, ...rest } = parsed.data;
  let signer: DemoSigner = { kind: "unsigned" };
  if (jwksFile) signer = { kind: "jwks", file: jwksFile };
  if (kid && secret) signer = { kind: "HS256", kid, secret };
  if (kid && privateKeyFile) {
    let pem: string;
    try {
      pem = fs.readFileSync(privateKeyFile, "utf8");
    } catch (err) {
      throw new DemoConfigError(`--private-key: cannot read ${privateKeyFile}: ${(err as Error).message}`);
    }
    if (!pem.includes("-----BEGIN PRIVATE KEY-----")) {
      throw new DemoConfigError(
        `--private-key: ${privateKeyFile} is not a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----"); \`npm run demo -- keygen\` makes one`,
      );
    }
    signer = { kind: signingAlgorithm(privateKeyFile, pem), kid, privateKeyPem: pem };
  }
  return { ...rest, signer };
}
