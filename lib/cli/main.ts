// The operator CLI: `npm run vouch -- <command>` (also the `vouch` package bin).
// Same database settings, zod schemas and data access layer as the console; exit 0 on success,
// otherwise every problem on stderr and nothing changed.
import { parseArgs, type ParseArgsConfig } from "node:util";
import crypto from "node:crypto";
import { env } from "../env";
import { resealAll, verifyEncryptionKey } from "../encryption-key";
import { logForCli } from "../logger";
import { ensureSchema } from "../migrate";
import { disconnectDb } from "../db";
import { classifyError, DomainError } from "../errors";
import { createAccount, setAccountDisabled } from "../dal/accounts";
import { endAccountSessions } from "../dal/sessions";
import { listCommunities } from "../dal/communities";
import { exportCommunityConfig, importCommunityConfig } from "../dal/community-config";
import { setJwtKeyExpiry } from "../dal/jwt-keys";
import { createApiToken, findApiToken, listApiTokens, revokeApiToken } from "../dal/api-tokens";
import { describeRevocation, revokeCommunityTokens, revokeIdentity } from "../dal/revocations";
import { describeErasure, eraseIdentity } from "../dal/erasure";
import { getIdentity, identityDocument } from "../dal/identities";
import { pruneIdentities } from "../dal/retention";
import { expiresAtSchema } from "../validations/jwt-key";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  sendTestEvent,
} from "../dal/webhooks";
import fs from "node:fs";

export const USAGE = `Usage: npm run vouch -- <command>

Commands:
  admin create --email <email> (--password <password> | --password-stdin) [--role admin|viewer] [--name <name>]
  account sign-out <email>                 end every console session of the account (its browsers sign in again)
  account disable <email>                  it cannot sign in, and its sessions end; account enable <email> undoes it
  community list [--json]
  community import <file.json>            (- reads standard input)
  community export <slug> [--include-secrets]
  identity prune                           delete identities past their community's retention now
  identity export <slug> <uuid>            one identity as JSON (every attribute and where it came from)
  identity erase <slug> <uuid>             delete it and every verification-log entry recorded for its uuid
  identity revoke <slug> <uuid>            sign the visitor out everywhere: its tokens issued before now are refused
  community revoke-tokens <slug>           refuse every token of the community issued before now (a leak)
  token create --name <name> [--role admin|viewer] [--expires-days N]   an admin API token, shown once
  token list [--json]
  token revoke <name-or-id>               (a name several tokens share is refused, listing their ids)
  key expire <slug> <kid> (--at <instant> | --never)   e.g. --at 2027-03-01T00:00:00Z; tokens naming it are then refused
  webhook list <slug> [--json]
  webhook add <slug> --url <url> --events <type,…> [--description <text>]   prints the signing secret once
  webhook remove <slug> <id>
  webhook rotate-secret <slug> <id>        a new secret, printed once; the old one signs too for 24 h
  webhook test <slug> <id>                 queue a webhook.test event for the endpoint
  rotate-encryption-key [--new-key-stdin]  re-seal every stored secret under a new key (see README)

Environment: DATABASE_URL (default: SQLite in VOUCH_DATA_DIR, default ./data).`;

export class UsageError extends Error {}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s + "\n"),
  stderr: (s) => process.stderr.write(s + "\n"),
  readStdin: () => readAll(process.stdin),
};

function parse<const O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function adminCreate(args: string[], io: Io) {
  const { values } = parse(args, {
    email: { type: "string" },
    password: { type: "string" },
    "password-stdin": { type: "boolean" },
    role: { type: "string", default: "admin" },
    name: { type: "string", default: "" },
  });
  if (values.password !== undefined && values["password-stdin"]) {
    throw new UsageError("give either --password or --password-stdin, not both");
  }
  let password = values.password as string | undefined;
  if (values["password-stdin"]) password = (await io.readStdin()).replace(/\r?\n$/, "");
  if (password === undefined) throw new UsageError("missing --password (or --password-stdin)");
  if (values.email === undefined) throw new UsageError("missing --email");
  const account = await createAccount(null, {
    email: values.email as string,
    name: values.name as string,
    password,
    role: values.role as "admin" | "viewer",
  });
  io.stdout(`Created ${account.role} account ${account.email}`);
}

/** The one positional argument of `account <verb> <email>`. */
function accountEmail(args: string[], verb: string): { email: string } {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1)
    throw new UsageError(`account ${verb} takes one argument: the account's e-mail address`);
  return { email: positionals[0]! };
}

async function accountSignOut(args: string[], io: Io) {
  const { email, ended } = await endAccountSessions(null, accountEmail(args, "sign-out"));
  io.stdout(`Ended ${ended} session${ended === 1 ? "" : "s"} of ${email}`);
}

const accountDisable = (disabled: boolean) => async (args: string[], io: Io) => {
  const verb = disabled ? "disable" : "enable";
  const { account, changed, sessionsEnded } = await setAccountDisabled(null, accountEmail(args, verb), disabled);
  if (!changed) return io.stdout(`${account.email} is already ${verb}d`);
  io.stdout(
    disabled
      ? `Disabled ${account.email}; ended ${sessionsEnded} session${sessionsEnded === 1 ? "" : "s"}`
      : `Enabled ${account.email}`,
  );
};

async function communityList(args: string[], io: Io) {
  const { values } = parse(args, { json: { type: "boolean" } });
  const communities = await listCommunities(null);
  if (values.json) {
    io.stdout(
      JSON.stringify(
        communities.map((c) => ({ slug: c.slug, name: c.name, created_at: c.createdAt.toISOString() })),
        null,
        2,
      ),
    );
    return;
  }
  if (communities.length === 0) return io.stdout("No communities.");
  const width = Math.max(4, ...communities.map((c) => c.slug.length));
  io.stdout(`${"SLUG".padEnd(width)}  NAME`);
  for (const c of communities) io.stdout(`${c.slug.padEnd(width)}  ${c.name}`);
}

async function communityImport(args: string[], io: Io) {
  const { positionals } = parse(args, {});
  const file = positionals[0];
  if (!file || positionals.length > 1)
    throw new UsageError("give exactly one file to import (or - for standard input)");
  let text: string;
  try {
    text = file === "-" ? await io.readStdin() : fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new DomainError(
      "invalid",
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new DomainError("invalid", `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const s = await importCommunityConfig(null, doc);
  const k = s.keys;
  io.stdout(
    `${s.created ? "Created" : "Updated"} community ${s.slug}: keys ${k.added.length} added, ${k.replaced.length} replaced, ` +
      `${k.kept.length} kept, ${k.removed.length} removed; ${s.customFields} custom fields; ${s.mappings} mappings`,
  );
}

async function communityExport(args: string[], io: Io) {
  const { positionals, values } = parse(args, { "include-secrets": { type: "boolean" } });
  const slug = positionals[0];
  if (!slug || positionals.length > 1) throw new UsageError("give exactly one community identifier to export");
  io.stdout(
    JSON.stringify(
      await exportCommunityConfig(null, slug, { includeSecrets: values["include-secrets"] === true }),
      null,
      2,
    ),
  );
}

async function rotateEncryptionKey(args: string[], io: Io) {
  const { values, positionals } = parse(args, { "new-key-stdin": { type: "boolean" } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const e = env();
  const current = e.encryption.key!; // verified by run()
  let next: Buffer;
  if (values["new-key-stdin"]) {
    const hex = (await io.readStdin()).trim();
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw new DomainError(
        "invalid",
        "the new key on standard input must be 64 lower-case hex characters (e.g. `openssl rand -hex 32`)",
      );
    next = Buffer.from(hex, "hex");
  } else next = crypto.randomBytes(32);

  // A key kept in the data folder is replaced there. The new key is written beside it first, so a
  // crash between the database commit and the rename leaves it on disk (the start-up check names it).
  const pending = `${e.encryption.file}.next`;
  if (!e.encryption.fromEnvironment) fs.writeFileSync(pending, next.toString("hex") + "\n", { mode: 0o600 });
  let result;
  try {
    result = await resealAll(current, next, e);
  } catch (err) {
    if (!e.encryption.fromEnvironment) fs.rmSync(pending, { force: true });
    throw err;
  }
  io.stdout(
    `Re-sealed ${result.resealed} secret${result.resealed === 1 ? "" : "s"}: key ${result.from.slice(0, 12)}… → ${result.to.slice(0, 12)}…`,
  );
  if (!e.encryption.fromEnvironment) {
    fs.copyFileSync(e.encryption.file, `${e.encryption.file}.previous`);
    fs.chmodSync(`${e.encryption.file}.previous`, 0o600);
    fs.renameSync(pending, e.encryption.file);
    io.stdout(
      `The new key is in ${e.encryption.file} (the old one in ${e.encryption.file}.previous, for backups made before now). Restart the app.`,
    );
    return;
  }
  io.stdout(
    "Set VOUCH_ENCRYPTION_KEY to the new key on every instance and restart them. Until then, instances with the old key keep",
  );
  io.stdout("serving the keys they have loaded but refuse configuration changes that store secrets.");
  if (!values["new-key-stdin"])
    io.stdout(`New key (store it in your secret manager now; it is not shown again): ${next.toString("hex")}`);
}

async function keyExpire(args: string[], io: Io) {
  const { positionals, values } = parse(args, { at: { type: "string" }, never: { type: "boolean" } });
  const [slug, kid, extra] = positionals;
  if (!slug || !kid || extra !== undefined) throw new UsageError("give a community identifier and a key ID");
  if ((values.at === undefined) === (values.never !== true))
    throw new UsageError("give either --at <instant> or --never");
  const at = expiresAtSchema.safeParse(values.never ? null : values.at);
  if (!at.success) throw new DomainError("invalid", `--at: ${at.error.issues[0]!.message}`);
  const key = await setJwtKeyExpiry(null, slug, { kid, expires_at: at.data }).catch((err: unknown) => {
    // The data layer names the field expires_at; here it is the --at flag.
    if (err instanceof DomainError && err.field === "expires_at")
      throw new DomainError(err.code, `--at: ${err.message}`);
    throw err;
  });
  io.stdout(
    key.expiresAt
      ? `Key ${kid} of ${slug} expires at ${key.expiresAt.toISOString()}`
      : `Key ${kid} of ${slug} never expires`,
  );
}

function slugAndUuid(args: string[]): [string, string] {
  const { positionals } = parse(args, {});
  if (positionals.length !== 2) throw new UsageError("give a community identifier and an identity uuid");
  return [positionals[0]!, positionals[1]!];
}

async function identityPrune(args: string[], io: Io) {
  const { positionals } = parse(args, {});
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const r = await pruneIdentities();
  io.stdout(
    r.ran
      ? `Deleted ${r.deleted} identit${r.deleted === 1 ? "y" : "ies"} past retention (${r.batches} batch${r.batches === 1 ? "" : "es"}).`
      : "Another instance is pruning right now; nothing done.",
  );
}

async function identityExport(args: string[], io: Io) {
  const [slug, uuid] = slugAndUuid(args);
  io.stdout(JSON.stringify(identityDocument(await getIdentity(null, slug, uuid)), null, 2));
}

async function identityErase(args: string[], io: Io) {
  const [slug, uuid] = slugAndUuid(args);
  io.stdout(describeErasure(await eraseIdentity(null, slug, uuid)));
}

async function identityRevoke(args: string[], io: Io) {
  const [slug, uuid] = slugAndUuid(args);
  io.stdout(describeRevocation(await revokeIdentity(null, slug, uuid)));
}

async function communityRevokeTokens(args: string[], io: Io) {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError("give the community identifier whose tokens to revoke");
  io.stdout(describeRevocation(await revokeCommunityTokens(null, positionals[0]!)));
}

async function tokenCreate(args: string[], io: Io) {
  const { values, positionals } = parse(args, {
    name: { type: "string" },
    role: { type: "string", default: "admin" },
    "expires-days": { type: "string" },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const { token, dto } = await createApiToken(null, {
    name: values.name ?? "",
    role: values.role as "admin" | "viewer",
    expires_days: values["expires-days"],
  });
  io.stderr(
    `Created ${dto.role} API token ${dto.id} "${dto.name}"${dto.expiresAt ? `, expires ${dto.expiresAt.toISOString()}` : ""}. It is shown this once:`,
  );
  io.stdout(token);
}

async function tokenList(args: string[], io: Io) {
  const { values } = parse(args, { json: { type: "boolean" } });
  const tokens = await listApiTokens(null);
  if (values.json) return io.stdout(JSON.stringify(tokens, null, 2));
  if (tokens.length === 0) return io.stdout("No API tokens.");
  for (const t of tokens) {
    const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt <= new Date() ? "expired" : "active";
    io.stdout(
      `${t.id}  ${t.role.padEnd(6)}  ${state.padEnd(7)}  ${t.name}  (last used ${t.lastUsedAt?.toISOString() ?? "never"})`,
    );
  }
}

async function tokenRevoke(args: string[], io: Io) {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1)
    throw new UsageError("give the name or the id of the token to revoke (token list shows both)");
  const found = await findApiToken(null, positionals[0]!);
  const t = await revokeApiToken(null, found.id);
  io.stdout(
    found.revoked ? `API token ${t.id} "${t.name}" was already revoked` : `Revoked API token ${t.id} "${t.name}"`,
  );
}

async function webhookList(args: string[], io: Io) {
  const { values, positionals } = parse(args, { json: { type: "boolean" } });
  if (positionals.length !== 1) throw new UsageError("give the community identifier whose webhooks to list");
  const endpoints = await listWebhookEndpoints(null, positionals[0]!);
  if (values.json) return io.stdout(JSON.stringify(endpoints, null, 2));
  if (endpoints.length === 0) return io.stdout("No webhook endpoints.");
  for (const e of endpoints) {
    const state = e.enabled ? "enabled" : `disabled (${e.disabledReason ?? "?"})`;
    const rate = e.attempts24h
      ? `${Math.round((100 * e.succeeded24h) / e.attempts24h)}% of ${e.attempts24h} in 24 h`
      : "no attempt in 24 h";
    io.stdout(`${e.id}  ${state}  ${e.url}  [${e.events.join(",")}]  ${rate}, ${e.pending} pending`);
  }
}

async function webhookAdd(args: string[], io: Io) {
  const { values, positionals } = parse(args, {
    url: { type: "string" },
    events: { type: "string" },
    description: { type: "string" },
  });
  if (positionals.length !== 1) throw new UsageError("give the community identifier to add the webhook to");
  const { endpoint, secret } = await createWebhookEndpoint(null, positionals[0]!, {
    url: values.url ?? "",
    events: (values.events ?? "")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean) as never[],
    description: values.description ?? "",
  });
  io.stderr(
    `Added webhook endpoint ${endpoint.id} for ${endpoint.events.join(", ")}. Its signing secret, shown this once:`,
  );
  io.stdout(secret);
}

const slugAndEndpoint = (args: string[]): [string, string] => {
  const { positionals } = parse(args, {});
  if (positionals.length !== 2)
    throw new UsageError("give the community identifier and the endpoint id (webhook list)");
  return [positionals[0]!, positionals[1]!];
};

async function webhookRemove(args: string[], io: Io) {
  const [slug, id] = slugAndEndpoint(args);
  await deleteWebhookEndpoint(null, slug, id);
  io.stdout(`Deleted webhook endpoint ${id} and its messages.`);
}

async function webhookRotateSecret(args: string[], io: Io) {
  const [slug, id] = slugAndEndpoint(args);
  const r = await rotateWebhookSecret(null, slug, id);
  io.stderr(
    `New signing secret for ${id}, shown this once; the previous one also signs until ${r.previousSecretUntil.toISOString()}:`,
  );
  io.stdout(r.secret);
}

async function webhookTest(args: string[], io: Io) {
  const [slug, id] = slugAndEndpoint(args);
  const { messageId } = await sendTestEvent(null, slug, id);
  io.stdout(`Queued webhook.test message ${messageId} for ${id}.`);
}

const commands: Record<string, (args: string[], io: Io) => Promise<void>> = {
  "webhook list": webhookList,
  "webhook add": webhookAdd,
  "webhook remove": webhookRemove,
  "webhook rotate-secret": webhookRotateSecret,
  "webhook test": webhookTest,
  "admin create": adminCreate,
  "account sign-out": accountSignOut,
  "account disable": accountDisable(true),
  "account enable": accountDisable(false),
  "community list": communityList,
  "community import": communityImport,
  "community export": communityExport,
  "key expire": keyExpire,
  "identity prune": identityPrune,
  "identity export": identityExport,
  "identity erase": identityErase,
  "identity revoke": identityRevoke,
  "community revoke-tokens": communityRevokeTokens,
  "token create": tokenCreate,
  "token list": tokenList,
  "token revoke": tokenRevoke,
  "rotate-encryption-key": rotateEncryptionKey,
};

/** Runs one command; returns the exit status. */
export async function run(argv: string[], io: Io = defaultIo): Promise<number> {
  if (io === defaultIo) logForCli();
  const [group, verb, ...rest] = argv;
  if (!group || group === "--help" || group === "help") {
    io.stdout(USAGE);
    return group ? 0 : 2;
  }
  const single = commands[group];
  const command = single ?? commands[`${group} ${verb ?? ""}`];
  const commandArgs = single ? argv.slice(1) : rest;
  if (!command) {
    io.stderr(`vouch: unknown command "${[group, verb].filter(Boolean).join(" ")}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const e = env();
    await ensureSchema(e.database);
    await verifyEncryptionKey(e);
    await command(commandArgs, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`vouch: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    const c = classifyError(err);
    if (c?.kind === "invalid") {
      // A flag's problem names the flag; a document's, its JSON path.
      const where = (path: string) => (c.document ? path : `--${path.replace(/_/g, "-") || "input"}`);
      if (c.document) io.stderr(`vouch: nothing was imported; ${c.message.toLowerCase()}:`);
      for (const p of c.problems)
        io.stderr(
          c.document
            ? `  ${p.path}: ${p.message}`
            : p.path
              ? `vouch: ${where(p.path)}: ${p.message}`
              : `vouch: ${p.message}`,
        );
      return 1;
    }
    if (c) {
      io.stderr(`vouch: ${c.field ? `--${c.field.replace(/_/g, "-")}: ` : ""}${c.message}`);
      return 1;
    }
    io.stderr(`vouch: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    // The CLI's own process closes its connections so that it can exit; a caller that brings its own Io
    // (the tests) shares the process's client and keeps it open.
    if (io === defaultIo) await disconnectDb();
  }
}
