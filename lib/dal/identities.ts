// Identity records, upserted per (community, uuid) — one write per accepted request.
// The verified-identity lock (docs/reference.md) is enforced by the write itself, so concurrent requests
// cannot race past it: unsigned data only ever updates rows that are not verified.
import { db, rawDb, type Prisma } from "../db";
import type { RawParam } from "../db-raw";
import crypto from "node:crypto";
import type { IdentityOutcome } from "../identity/process";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { audit } from "./audit";
import { communityIdOf } from "./communities";
import { canManage } from "../authz";
import { DomainError, forbidden } from "../errors";
import { parseJsonObject } from "./row-format";
import { uuidAuditLabel, forgetBufferedRefusals } from "./route-telemetry";
import { uuidSchema } from "../identity/data";

export type StoreResult = { stored: true } | { stored: false; locked: true };

/**
 * One statement, atomic on both databases: insert, or update unless the stored identity is verified
 * and this data is not. 0 rows affected = refused by the lock. Raw SQL on purpose: this is the one
 * write of the hot path, so it goes through a raw driver connection (lib/db-raw.ts), skipping the ORM's
 * per-query work (see docs/benchmarks.md). Group commit: the upserts that arrive in one turn of the
 * event loop are written together (see writeStatements), and each caller hears back only once its row
 * is committed.
 */
export function storeIdentity(communityId: string, identity: IdentityOutcome, now = new Date()): Promise<StoreResult> {
  return groupCommit([
    crypto.randomUUID(),
    communityId,
    identity.uuid,
    identity.automatedUuid,
    identity.verified,
    identity.kid,
    JSON.stringify(identity.applied.fields),
    JSON.stringify(identity.applied.customFields),
    JSON.stringify(identity.applied.extraValues),
    JSON.stringify(identity.applied.sources),
    ...searchKeys(identity.applied.fields),
    now,
    now,
  ]).then((affected) => (affected > 0 ? STORED : LOCKED));
}
const STORED: StoreResult = { stored: true };
const LOCKED: StoreResult = { stored: false, locked: true };

/** At most this many rows per transaction; the rest go in the next one, started at once. */
export const GROUP_COMMIT_MAX = 256;
type PendingRow = {
  values: RawParam[];
  resolve: (affected: number) => void;
  reject: (err: unknown) => void;
  /** Answered (PostgreSQL rounds: an earlier round may have committed before a later one failed). */
  settled?: boolean;
};
let pending: PendingRow[] = [];
let flushScheduled = false;

/**
 * Batches written at once. While they are, new rows wait and go in the next, larger batch: on
 * PostgreSQL fewer, fuller statements (and commits) under load; SQLite writes synchronously anyway.
 */
export const GROUP_COMMIT_IN_FLIGHT = 2;
let inFlight = 0;

/** Group commit's work so far (/api/metrics): statements (each one commit) and the rows they carried. */
export const groupCommitCounts = { statements: 0, rows: 0 };

function groupCommit(values: RawParam[]): Promise<number> {
  return new Promise((resolve, reject) => {
    pending.push({ values, resolve, reject });
    scheduleFlush();
  });
}

function scheduleFlush(): void {
  if (flushScheduled || pending.length === 0 || inFlight >= GROUP_COMMIT_IN_FLIGHT) return;
  flushScheduled = true;
  setImmediate(flushPending);
}

/** (community, uuid): the order every batch takes its row locks in, so two batches cannot deadlock. */
const byRowKey = (a: PendingRow, b: PendingRow) =>
  compare(a.values[1] as string, b.values[1] as string) || compare(a.values[2] as string, b.values[2] as string);
const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

function flushPending(): void {
  flushScheduled = false;
  if (pending.length === 0 || inFlight >= GROUP_COMMIT_IN_FLIGHT) return;
  const batch = pending.length <= GROUP_COMMIT_MAX ? pending : pending.slice(0, GROUP_COMMIT_MAX);
  pending = pending.length <= GROUP_COMMIT_MAX ? [] : pending.slice(GROUP_COMMIT_MAX);
  inFlight++;
  void writeBatch(batch).finally(() => {
    inFlight--;
    scheduleFlush();
  });
  scheduleFlush();
}

async function writeBatch(batch: PendingRow[]): Promise<void> {
  const one = (r: PendingRow) =>
    rawDb()
      .execute(UPSERT, r.values)
      .then((affected) => {
        groupCommitCounts.statements++;
        groupCommitCounts.rows++;
        r.resolve(affected);
      }, r.reject);
  try {
    if (batch.length === 1) return await one(batch[0]!);
    batch.sort(byRowKey); // stable: two writes of one row keep their order, the later one wins
    try {
      await writeStatements(batch);
    } catch {
      // The write failed as a whole (nothing of it is stored): each row alone, so one row's problem
      // (say, its community deleted meanwhile) is not every caller's.
      await Promise.all(batch.filter((r) => !r.settled).map(one));
    }
  } catch (err) {
    for (const r of batch) r.reject(err); // (no database at all: each caller answers 503)
  }
}

/**
 * One multi-row statement per round (on PostgreSQL one round trip and one commit), where round k holds
 * the k-th write of each row — a statement may not update one row twice. A round's callers are answered
 * when its statement has committed; rows it did not return were refused by the verified lock.
 */
async function writeStatements(batch: PendingRow[]): Promise<void> {
  const rounds: PendingRow[][] = [];
  const seen = new Map<string, number>();
  for (const r of batch) {
    const key = `${r.values[1] as string}\u0000${r.values[2] as string}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    (rounds[k] ??= []).push(r);
  }
  for (const round of rounds) {
    const written = await rawDb().queryRows(
      upsertRows(round.length),
      round.flatMap((r) => r.values),
    );
    groupCommitCounts.statements++;
    groupCommitCounts.rows += round.length;
    const stored = new Set(written.map((w) => `${w.communityId as string}\u0000${w.uuid as string}`));
    for (const r of round) {
      r.settled = true;
      r.resolve(stored.has(`${r.values[1] as string}\u0000${r.values[2] as string}`) ? 1 : 0);
    }
  }
}

/**
 * The search columns (docs/reference.md console search): the e-mail and the display name — "firstname lastname",
 * else the screen name — lowercased, so one indexed prefix search finds "Jane", "jane d" or "jane@".
 */
export function searchKeys(fields: Record<string, unknown>): [email: string | null, name: string | null] {
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().toLowerCase() : null);
  const fullName = [fields.firstname, fields.lastname].map(text).filter(Boolean).join(" ");
  return [text(fields.email), fullName || text(fields.screenname)];
}

const UPSERT_INTO = `
  INSERT INTO "identity" ("id", "communityId", "uuid", "automatedUuid", "verified", "kid", "fields", "customFields", "extraValues", "sources", "emailKey", "nameKey", "createdAt", "updatedAt")
  VALUES `;
const UPSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const UPSERT_ON_CONFLICT = `
  ON CONFLICT ("communityId", "uuid") DO UPDATE SET
    "verified" = excluded."verified", "kid" = excluded."kid", "fields" = excluded."fields",
    "customFields" = excluded."customFields", "extraValues" = excluded."extraValues",
    "sources" = excluded."sources", "emailKey" = excluded."emailKey", "nameKey" = excluded."nameKey",
    "updatedAt" = excluded."updatedAt"
  WHERE "identity"."verified" = FALSE OR excluded."verified" = TRUE`;
const UPSERT = UPSERT_INTO + UPSERT_ROW + UPSERT_ON_CONFLICT;
/** n rows in one statement, returning the keys of those written (the others were refused by the lock). */
const upsertRows = (n: number) =>
  `${UPSERT_INTO}${Array(n).fill(UPSERT_ROW).join(", ")}${UPSERT_ON_CONFLICT} RETURNING "communityId", "uuid"`;

/** Read-only: would unsigned data for this uuid be refused? (for the token test console) */
export async function isVerifiedIdentity(communityId: string, uuid: string): Promise<boolean> {
  return (await db().identity.count({ where: { communityId, uuid, verified: true } })) > 0;
}

export interface IdentityDto {
  uuid: string;
  automatedUuid: boolean;
  verified: boolean;
  kid: string | null;
  fields: Record<string, unknown>;
  customFields: Record<string, unknown>;
  extraValues: Record<string, unknown>;
  sources: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const toDto = (r: {
  uuid: string;
  automatedUuid: boolean;
  verified: boolean;
  kid: string | null;
  fields: string;
  customFields: string;
  extraValues: string;
  sources: string;
  createdAt: Date;
  updatedAt: Date;
}): IdentityDto => ({
  uuid: r.uuid,
  automatedUuid: r.automatedUuid,
  verified: r.verified,
  kid: r.kid,
  fields: parseJsonObject(r.fields),
  customFields: parseJsonObject(r.customFields),
  extraValues: parseJsonObject(r.extraValues),
  sources: parseJsonObject(r.sources),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** One identity as a JSON document (docs/reference.md, access): every stored attribute and where each came from. */
export function identityDocument(i: IdentityDto) {
  return {
    uuid: i.uuid,
    automated_uuid: i.automatedUuid,
    verified: i.verified,
    kid: i.kid,
    fields: i.fields,
    custom_fields: i.customFields,
    extra_values: i.extraValues,
    sources: i.sources,
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}

export async function getIdentity(actor: Actor | null, slug: string, uuid: string): Promise<IdentityDto> {
  assertReader(actor);
  const row = await db().identity.findUnique({
    where: { communityId_uuid: { communityId: await communityIdOf(slug), uuid } },
  });
  if (!row) throw new DomainError("not_found", "There is no identity with this uuid in this community");
  return toDto(row);
}

export interface IdentitySearch {
  /** A uuid (exact), or the start of an e-mail or a display name (any case). */
  q?: string | null;
  verified?: boolean | null;
  limit?: number;
  /** The previous page's next cursor (opaque to callers). */
  cursor?: string | null;
}

/**
 * Newest first, one page, optionally searched (docs/reference.md): every branch is an index range — the uuid on
 * the unique (community, uuid), the prefixes on (community, emailKey) and (community, nameKey), the
 * verified filter on (community, verified, updatedAt) — so a search stays fast on 100,000 identities
 * (`npm run bench:identities` measures it). Prefixes compare bytes (the upper bound is the prefix
 * followed by U+10FFFF), as SQLite and a C-collated PostgreSQL order them.
 */
export async function listIdentityPage(
  actor: Actor | null,
  slug: string,
  { q, verified, limit = 50, cursor }: IdentitySearch = {},
): Promise<{ identities: IdentityDto[]; nextCursor: string | null }> {
  assertReader(actor);
  const communityId = await communityIdOf(slug);
  const take = Math.min(200, Math.max(1, Math.floor(limit)));
  const term = q?.trim() ?? "";
  const key = term.toLowerCase();
  const prefix = { gte: key, lt: `${key}\u{10FFFF}` };
  const after = cursor ? parseCursor(cursor) : null;
  const base = {
    communityId,
    ...(verified == null ? {} : { verified }),
    ...(after
      ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] }
      : {}),
  };
  const page = (where: Prisma.IdentityWhereInput) =>
    db().identity.findMany({ where, orderBy: [{ updatedAt: "desc" }, { id: "desc" }], take: take + 1 });
  // A search is one query per branch, each on its own index, merged here: given `uuid = ? OR emailKey …
  // OR nameKey …` with ORDER BY updatedAt and a LIMIT, SQLite walks the updatedAt index and filters
  // every row (≈ 50 ms at 100,000 identities; `npm run bench:identities`).
  const rows = term
    ? [
        ...new Map(
          (
            await Promise.all(
              [{ uuid: term }, { emailKey: prefix }, { nameKey: prefix }].map((branch) => page({ ...base, ...branch })),
            )
          )
            .flat()
            .map((r) => [r.id, r]),
        ).values(),
      ]
        .sort((x, y) => y.updatedAt.getTime() - x.updatedAt.getTime() || (x.id < y.id ? 1 : x.id > y.id ? -1 : 0))
        .slice(0, take + 1)
    : await page(base);
  const last = rows.length > take ? rows[take - 1]! : null;
  return {
    identities: rows.slice(0, take).map(toDto),
    nextCursor: last ? Buffer.from(`${last.updatedAt.getTime()}.${last.id}`).toString("base64url") : null,
  };
}

/** A keyset cursor (updatedAt, id) of the last row shown: stable while rows are added or erased. */
function parseCursor(cursor: string): { updatedAt: Date; id: string } {
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!m) throw new DomainError("invalid", "cursor is not one this list returned (use next_cursor as given)", "cursor");
  return { updatedAt: new Date(Number(m[1])), id: m[2]! };
}

/** What an erasure deleted (the answer of the console, the admin API and the CLI). */
export interface Erasure {
  identities: number;
  logEntries: number;
}

/** An erasure's counts in a sentence (the console's and the CLI's answer). */
export function describeErasure({ identities, logEntries }: Erasure): string {
  const entries = `${logEntries} verification-log entr${logEntries === 1 ? "y" : "ies"}`;
  return identities > 0
    ? `Erased the identity and ${entries} recorded for its uuid.`
    : `No identity was stored for this uuid; erased ${entries} recorded for it.`;
}

/**
 * Erases one visitor (docs/reference.md, data lifecycle): its identity, if one is stored, and every
 * verification-log entry recorded for its uuid — found by the entry's own `uuid` column, exactly (never a
 * pattern), in this community only; also when the uuid was only ever refused, and entries still buffered
 * in memory. Admins only. The audit entry records that a uuid was erased and by whom: a digest, no values.
 */
export async function eraseIdentity(actor: Actor | null, slug: string, uuid: string): Promise<Erasure> {
  if (actor && !canManage(actor)) throw forbidden("erase identities");
  const checked = uuidSchema.safeParse(uuid);
  if (!checked.success) throw new DomainError("invalid", `uuid ${checked.error.issues[0]!.message}`, "uuid");
  const communityId = await communityIdOf(slug);
  await forgetBufferedRefusals(communityId, uuid);
  return db().$transaction(async (tx) => {
    const identities = (await tx.identity.deleteMany({ where: { communityId, uuid } })).count;
    const logEntries = (await tx.verificationLog.deleteMany({ where: { communityId, uuid } })).count;
    await audit(tx, actor ?? { id: null, email: "cli" }, "identity.erase", {
      communityId,
      targetLabel: uuidAuditLabel(uuid),
      details: { identities_deleted: identities, log_entries_deleted: logEntries },
    });
    return { identities, logEntries };
  });
}

/** Verified identities of a community (what "revoke all tokens" would make unverified). */
export async function countVerifiedIdentities(actor: Actor | null, communityId: string): Promise<number> {
  assertReader(actor);
  return db().identity.count({ where: { communityId, verified: true } });
}
