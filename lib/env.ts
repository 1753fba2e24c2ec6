// Environment, validated once (fail fast with a message naming the variable), and the secrets the
// app needs: taken from the environment when given (production, several instances), otherwise
// generated on first use into the data folder with owner-only permissions. No framework imports.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigError, dataDir, resolveDatabase, type DatabaseTarget, type EnvSource } from "./db-url";

const envSchema = z.object({
  VOUCH_SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -hex 32`)").optional(),
  VOUCH_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex characters, 32 bytes (e.g. `openssl rand -hex 32`)")
    .optional(),
  VOUCH_BASE_URL: z.url("must be an absolute URL such as https://vouch.example.com").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  VOUCH_TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: "must be a whole number of proxies, 0–5" })
    .int("must be a whole number of proxies, 0–5")
    .min(0, "must be a whole number of proxies, 0–5")
    .max(5, "must be a whole number of proxies, 0–5")
    .default(0),
  VOUCH_RATE_LIMIT_PER_CLIENT: z.coerce
    .number({ error: "must be a whole number of requests per minute, 0 (no cap) to 10000000" })
    .int("must be a whole number of requests per minute, 0 (no cap) to 10000000")
    .min(0, "must be a whole number of requests per minute, 0 (no cap) to 10000000")
    .max(10_000_000, "must be a whole number of requests per minute, 0 (no cap) to 10000000")
    .default(6000),
  VOUCH_REDIS_URL: z
    .url("must be a redis:// or rediss:// URL")
    .refine((u) => /^rediss?:\/\//.test(u), "must be a redis:// or rediss:// URL")
    .optional(),
  VOUCH_ALLOW_PRIVATE_URLS: z.enum(["0", "1"], "must be 1 (allow) or 0 (the default)").optional(),
  /** The old name of VOUCH_ALLOW_PRIVATE_URLS (JWKS URLs only had it then); the new name wins. */
  VOUCH_JWKS_ALLOW_PRIVATE: z.enum(["0", "1"], "must be 1 (allow) or 0 (the default)").optional(),
  VOUCH_METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters (e.g. `openssl rand -hex 16`)")
    .max(256, "must be at most 256 characters")
    .optional(),
});

/** The key that encrypts stored JWT secrets (AES-256-GCM), and where it comes from. */
export interface EncryptionKeyRef {
  /**
   * 32 bytes; null while there is none yet (lib/encryption-key.ts creates it, but never while the
   * database holds secrets).
   */
  key: Buffer | null;
  /** For messages: "VOUCH_ENCRYPTION_KEY (environment)" or the data folder's file. */
  source: string;
  fromEnvironment: boolean;
  /** The data folder's key file (used, or to be created). */
  file: string;
}

export interface VouchEnv {
  database: DatabaseTarget;
  dataDir: string;
  sessionSecret: string;
  encryption: EncryptionKeyRef;
  baseUrl: string;
  port: number;
  /** Reverse proxies in front of Vouch that append to X-Forwarded-For (0: clients connect directly). */
  trustedProxyHops: number;
  /** Identity route requests per client address and minute, across communities (0: no cap). */
  rateLimitPerClient: number;
  /** Shares rate limits between instances when set. */
  redisUrl: string | null;
  /** VOUCH_ALLOW_PRIVATE_URLS (or its old name VOUCH_JWKS_ALLOW_PRIVATE): outgoing URLs may be http and private. */
  allowPrivateUrls: boolean;
  /** The Bearer token /api/metrics wants; null: the endpoint does not exist (docs/operating.md). */
  metricsToken: string | null;
}

function readOrCreateSecret(dir: string, file: string): string {
  const full = path.join(dir, file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    return fs.readFileSync(full, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const value = crypto.randomBytes(32).toString("hex");
  try {
    // "wx": if another process created it meanwhile, keep theirs.
    fs.writeFileSync(full, value + "\n", { mode: 0o600, flag: "wx" });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(full, "utf8").trim();
    throw err;
  }
}

export const ENCRYPTION_KEY_FILE = "encryption-key";
export const ENCRYPTION_KEY_ENV_SOURCE = "VOUCH_ENCRYPTION_KEY (environment)";

/** The encryption key from the environment or the data folder, or null: never generated here. */
function readEncryptionKey(fromEnv: string | undefined, dir: string): EncryptionKeyRef {
  const file = path.join(dir, ENCRYPTION_KEY_FILE);
  if (fromEnv)
    return { key: Buffer.from(fromEnv, "hex"), source: ENCRYPTION_KEY_ENV_SOURCE, fromEnvironment: true, file };
  let hex: string;
  try {
    hex = fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    return { key: null, source: file, fromEnvironment: false, file };
  }
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ConfigError(`${file} is corrupt: expected 64 hex characters`);
  return { key: Buffer.from(hex, "hex"), source: file, fromEnvironment: false, file };
}

/** Creates the data folder's encryption key (owner-only); if another process did meanwhile, theirs. */
export function createEncryptionKeyFile(ref: EncryptionKeyRef): Buffer {
  const hex = readOrCreateSecret(path.dirname(ref.file), path.basename(ref.file));
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ConfigError(`${ref.file} is corrupt: expected 64 hex characters`);
  return Buffer.from(hex, "hex");
}

export function loadEnv(source: EnvSource = process.env): VouchEnv {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dir = dataDir(source);
  const database = resolveDatabase(source);
  const sessionSecret = e.VOUCH_SESSION_SECRET ?? readOrCreateSecret(dir, "session-secret");
  return {
    database,
    dataDir: dir,
    sessionSecret,
    encryption: readEncryptionKey(e.VOUCH_ENCRYPTION_KEY, dir),
    baseUrl: e.VOUCH_BASE_URL ?? `http://localhost:${e.PORT}`,
    port: e.PORT,
    trustedProxyHops: e.VOUCH_TRUSTED_PROXY_HOPS,
    rateLimitPerClient: e.VOUCH_RATE_LIMIT_PER_CLIENT,
    redisUrl: e.VOUCH_REDIS_URL ?? null,
    allowPrivateUrls: (e.VOUCH_ALLOW_PRIVATE_URLS ?? e.VOUCH_JWKS_ALLOW_PRIVATE) === "1",
    metricsToken: e.VOUCH_METRICS_TOKEN ?? null,
  };
}

let cached: VouchEnv | undefined;
/** The process's environment, loaded once. */
export function env(): VouchEnv {
  cached ??= loadEnv();
  return cached;
}
