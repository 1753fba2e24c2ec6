// Identity records, upserted per (community, uuid) by the identity route — one write per accepted request,
// group-committed. The verified-identity lock (docs/reference.md) is enforced by the write itself, so
// concurrent requests cannot race past it: unsigned data only ever updates rows that are not verified.
import crypto from "node:crypto";
import { db, rawDb } from "../db";
import type { BatchStatement, RawParam, RawStatements } from "../db-raw";
import type { IdentityOutcome } from "../identity/process";
import { identityEventsOf, outboxWritten, writeMessages, type StoredIdentityState } from "./webhook-outbox";

export type StoreResult = { stored: true } | { stored: false; locked: true };

/**
 * One statement, atomic on both databases: insert, or update unless the stored identity is verified
 * and this data is not. 0 rows affected = refused by the lock. Raw SQL on purpose: this is the one
 * write of the hot path, so it goes through a raw driver connection (lib/db-raw.ts), skipping the ORM's
 * per-query work (see docs/benchmarks.md). Group commit: the upserts that arrive in one turn of the
 * event loop are written together (see writeStatements), and each caller hears back only once its row
 * is committed.
 */
export function storeIdentity(
  communityId: string,
  identity: IdentityOutcome,
  now = new Date(),
  /** The community has webhook endpoints for identity events: the row's events are written with it. */
  events = false,
): Promise<StoreResult> {
  return groupCommit(events, [
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
  events: boolean;
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

function groupCommit(events: boolean, values: RawParam[]): Promise<number> {
  return new Promise((resolve, reject) => {
    pending.push({ values, events, resolve, reject });
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
  const withEvents = async (rows: PendingRow[]) => {
    if (rawDb().dialect === "sqlite") return writeSqliteBatchWithEvents(rows);
    const answers = await rawDb().transaction((tx) => writeStatements(tx, rows, true));
    for (const answer of answers) answer(); // after COMMIT
  };
  try {
    const events = batch.some((r) => r.events);
    if (batch.length === 1 && !events) return await one(batch[0]!);
    batch.sort(byRowKey); // stable: two writes of one row keep their order, the later one wins
    try {
      if (events) await withEvents(batch);
      else await writeStatements(rawDb(), batch, false);
    } catch {
      // The write failed as a whole (nothing of it is stored): each row alone, so one row's problem
      // (say, its community deleted meanwhile) is not every caller's.
      await Promise.all(
        batch.filter((r) => !r.settled).map((r) => (r.events ? withEvents([r]).catch(r.reject) : one(r))),
      );
    }
  } catch (err) {
    for (const r of batch) r.reject(err); // (no database at all: each caller answers 503)
  }
}

/**
 * One multi-row statement per round (on PostgreSQL one round trip and one commit), where round k holds
 * the k-th write of each row — a statement may not update one row twice. A round's callers are answered
 * when its statement has committed; rows it did not return were refused by the verified lock.
 *
 * With events (a community with webhook endpoints for identity events; `sql` is then one transaction):
 * the rows' stored state is read first (and locked, on PostgreSQL), each written row compared with
 * it, and the resulting identity.created / verified / updated messages written in the same
 * transaction — so an identity answered 200 always has its event. Those callers are answered by the
 * returned functions, after COMMIT.
 */
async function writeStatements(sql: RawStatements, batch: PendingRow[], events: boolean): Promise<(() => void)[]> {
  const key = (r: PendingRow) => `${r.values[1] as string}\u0000${r.values[2] as string}`;
  const evented = events ? batch.filter((r) => r.events) : [];
  const before = evented.length > 0 ? await readStates(sql, evented) : null;
  const messages: Parameters<typeof writeMessages>[1] = [];
  const settle: (() => void)[] = [];
  const rounds = roundsOf(batch);
  for (const round of rounds) {
    const written = await sql.queryRows(
      upsertRows(round.length, events),
      round.flatMap((r) => r.values),
    );
    groupCommitCounts.statements++;
    groupCommitCounts.rows += round.length;
    const stored = new Map(written.map((w) => [`${w.communityId as string}\u0000${w.uuid as string}`, w]));
    for (const r of round) {
      const row = stored.get(key(r));
      if (before && r.events && row) {
        const old = before.get(key(r));
        const next = stateOf(r.values, old, new Date(row.createdAt as string | Date));
        // PostgreSQL: a row another transaction inserted after this one read (so no stored state was
        // seen) is not new: its earlier data is unknown, so the event says it changed.
        const concurrent = !old && (row.inserted === false || row.inserted === 0);
        messages.push(
          ...identityEventsOf(concurrent ? { ...next, fields: "", customFields: "", extraValues: "" } : old, next),
        );
        before.set(key(r), next);
      }
      const affected = row ? 1 : 0;
      const answer = () => {
        r.settled = true;
        r.resolve(affected);
      };
      if (events) settle.push(answer);
      else answer();
    }
  }
  if (messages.length > 0) await writeMessages(sql, messages);
  return settle; // with events: the callers' answers, given once the transaction has committed
}

/** The batch's rounds: round k holds the k-th write of each row (a statement may not update a row twice). */
function roundsOf(batch: PendingRow[]): PendingRow[][] {
  const rounds: PendingRow[][] = [];
  const seen = new Map<string, number>();
  for (const r of batch) {
    const key = `${r.values[1] as string}\u0000${r.values[2] as string}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    (rounds[k] ??= []).push(r);
  }
  return rounds;
}

/**
 * SQLite (one writer): the whole batch in one transaction inside the database worker — for each round,
 * the events it causes (compared in SQL with the rows as they stand, under the write lock) and then its
 * upsert — so no lock is held across a round trip to the event loop. The callers are answered after COMMIT.
 */
async function writeSqliteBatchWithEvents(batch: PendingRow[]): Promise<void> {
  const rounds = roundsOf(batch);
  const steps: BatchStatement[] = [];
  for (const round of rounds) {
    const evented = round.filter((r) => r.events);
    if (evented.length > 0) steps.push(sqliteIdentityEvents(evented));
    steps.push({ sql: upsertRows(round.length), params: round.flatMap((r) => r.values), rows: true });
  }
  const results = await rawDb().batch(steps);
  let messages = 0;
  let i = 0;
  for (const round of rounds) {
    if (round.some((r) => r.events)) messages += results[i++] as number;
    const written = results[i++] as Record<string, unknown>[];
    groupCommitCounts.statements++;
    groupCommitCounts.rows += round.length;
    const stored = new Set(written.map((w) => `${w.communityId as string}\u0000${w.uuid as string}`));
    for (const r of round) {
      r.settled = true;
      r.resolve(stored.has(`${r.values[1] as string}\u0000${r.values[2] as string}`) ? 1 : 0);
    }
  }
  if (messages > 0) outboxWritten();
}

const SQLITE_EVENT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/**
 * One INSERT of the messages a round of upserts causes (docs/reference.md, webhooks), decided in SQL
 * against the rows as they stand: identity.created where none is stored; identity.verified where a stored
 * unverified row becomes verified; identity.updated where fields, custom fields or extra values differ —
 * only where the upsert's verified lock lets the write through — one message per enabled endpoint
 * subscribed to the type (its JSON array of types holds the quoted type; the types are Vouch's own).
 */
function sqliteIdentityEvents(rows: PendingRow[]): BatchStatement {
  const params: RawParam[] = [];
  for (const r of rows) {
    const v = r.values;
    const at = v[13] as Date;
    params.push(v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, at.toISOString(), at);
  }
  // The payload's data is the admin API's identity document (lib/dal/identities.ts identityDocument),
  // built here only for the rows that have an event; created_at is the stored row's (or now, when new).
  const sql = `WITH n("communityId", "uuid", "automated", "verified", "kid", "fields", "customFields", "extraValues", "sources", "iso", "at") AS (VALUES ${rows.map(() => SQLITE_EVENT_ROW).join(", ")}),
  c AS (
    SELECT n.*, o."id" AS "oid", o."verified" AS "overified", o."createdAt" AS "ocreated",
           o."id" IS NOT NULL AND (o."fields" <> n."fields" OR o."customFields" <> n."customFields" OR o."extraValues" <> n."extraValues") AS "changed"
      FROM n LEFT JOIN "identity" o ON o."communityId" = n."communityId" AND o."uuid" = n."uuid"
     WHERE o."id" IS NULL OR o."verified" = 0 OR n."verified" = 1),
  ev AS (
    SELECT CASE WHEN "oid" IS NULL THEN 'identity.created' WHEN "overified" = 0 AND "verified" = 1 THEN 'identity.verified' END AS "type", * FROM c
    UNION ALL SELECT 'identity.updated' AS "type", * FROM c WHERE "changed")
  INSERT INTO "webhook_message" ("id", "endpointId", "communityId", "type", "payload", "uuid", "status", "attemptCount", "nextAttemptAt", "createdAt")
  SELECT 'msg_' || lower(hex(randomblob(16))), e."id", ev."communityId", ev."type",
         json_object('type', ev."type", 'timestamp', ev."iso", 'data', json_object(
           'uuid', ev."uuid", 'automated_uuid', json(CASE WHEN ev."automated" THEN 'true' ELSE 'false' END),
           'verified', json(CASE WHEN ev."verified" THEN 'true' ELSE 'false' END), 'kid', ev."kid",
           'fields', json(ev."fields"), 'custom_fields', json(ev."customFields"), 'extra_values', json(ev."extraValues"),
           'sources', json(ev."sources"),
           'created_at', COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', ev."ocreated"), ev."iso"), 'updated_at', ev."iso")),
         ev."uuid", 'pending', 0, ev."at", ev."at"
    FROM ev JOIN "webhook_endpoint" e ON e."communityId" = ev."communityId" AND e."enabled" = 1
   WHERE ev."type" IS NOT NULL AND instr(e."events", '"' || ev."type" || '"') > 0`;
  return { sql, params };
}

const STATE_COLUMNS = `"communityId", "uuid", "automatedUuid", "verified", "kid", "fields", "customFields", "extraValues", "sources", "createdAt"`;

/** The stored state of the batch's rows that have events (locked until COMMIT on PostgreSQL). */
async function readStates(sql: RawStatements, rows: PendingRow[]): Promise<Map<string, StoredIdentityState>> {
  const states = new Map<string, StoredIdentityState>();
  const byCommunity = new Map<string, string[]>();
  for (const r of rows) {
    const uuids = byCommunity.get(r.values[1] as string) ?? [];
    uuids.push(r.values[2] as string);
    byCommunity.set(r.values[1] as string, uuids);
  }
  const lock = rawDb().dialect === "postgres" ? ` ORDER BY "uuid" COLLATE "C" FOR UPDATE` : "";
  for (const [communityId, uuids] of byCommunity) {
    const unique = [...new Set(uuids)];
    const found = await sql.queryRows(
      `SELECT ${STATE_COLUMNS} FROM "identity" WHERE "communityId" = ? AND "uuid" IN (${unique.map(() => "?").join(", ")})${lock}`,
      [communityId, ...unique],
    );
    for (const f of found)
      states.set(`${communityId}\u0000${f.uuid as string}`, {
        communityId,
        uuid: f.uuid as string,
        automatedUuid: f.automatedUuid === true || f.automatedUuid === 1,
        verified: f.verified === true || f.verified === 1,
        kid: (f.kid as string | null) ?? null,
        fields: f.fields as string,
        customFields: f.customFields as string,
        extraValues: f.extraValues as string,
        sources: f.sources as string,
        createdAt: new Date(f.createdAt as string | Date),
        updatedAt: new Date(f.createdAt as string | Date),
      });
  }
  return states;
}

/** A written row's state, from the values the upsert carried (see storeIdentity's order). */
function stateOf(v: RawParam[], old: StoredIdentityState | undefined, createdAt: Date): StoredIdentityState {
  return {
    communityId: v[1] as string,
    uuid: v[2] as string,
    automatedUuid: old ? old.automatedUuid : (v[3] as boolean),
    verified: v[4] as boolean,
    kid: v[5] as string | null,
    fields: v[6] as string,
    customFields: v[7] as string,
    extraValues: v[8] as string,
    sources: v[9] as string,
    createdAt,
    updatedAt: v[13] as Date,
  };
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
/**
 * n rows in one statement, returning the keys of those written (the others were refused by the lock);
 * with events also when each row was created and (PostgreSQL) whether this statement inserted it.
 */
const upsertRows = (n: number, events = false) =>
  `${UPSERT_INTO}${Array(n).fill(UPSERT_ROW).join(", ")}${UPSERT_ON_CONFLICT} RETURNING "communityId", "uuid"${
    events ? `, "createdAt"${rawDb().dialect === "postgres" ? `, (xmax = 0) AS "inserted"` : ""}` : ""
  }`;

/** Read-only: would unsigned data for this uuid be refused? (for the token test console) */
export async function isVerifiedIdentity(communityId: string, uuid: string): Promise<boolean> {
  return (await db().identity.count({ where: { communityId, uuid, verified: true } })) > 0;
}
