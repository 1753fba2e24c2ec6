// Identity records, upserted per (community, uuid) by the identity route, group-committed. The write is
// conditional (docs/reference.md, what gets stored): a row changes only when the resulting state differs
// from the stored one — an identical request writes nothing, on either database, decided by the
// statement itself so it holds across instances. The verified-identity lock is enforced by the same
// statement: unsigned data only ever updates rows that are not verified.
import crypto from "node:crypto";
import { db, rawDb } from "../db";
import type { BatchStatement, RawParam } from "../db-raw";
import type { IdentityOutcome } from "../identity/process";
import { outboxWritten } from "./webhook-outbox";
import { recordSeen } from "./last-seen";

/** `changed`: the row was written; false: the stored identity already held exactly this (nothing written). */
export type StoreResult = { stored: true; changed: boolean } | { stored: false; locked: true };

/**
 * Group commit: the upserts that arrive in one turn of the event loop are written together, and each
 * caller hears back only once its row is committed. Raw SQL on purpose: this is the one write of the
 * hot path, so it goes through a raw driver connection (lib/db-raw.ts), skipping the ORM's per-query
 * work (see docs/benchmarks.md).
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
    now, // createdAt
    now, // updatedAt
    now, // lastSeenAt
  ]);
}
// Positions in a row's values (storeIdentity's order).
const COMMUNITY = 1;
const UUID = 2;
const VERIFIED = 4;
const AT = 13;

type Outcome = "changed" | "unchanged" | "locked";
const RESULTS: Record<Outcome, StoreResult> = {
  changed: { stored: true, changed: true },
  unchanged: { stored: true, changed: false },
  locked: { stored: false, locked: true },
};

/** At most this many rows per transaction; the rest go in the next one, started at once. */
export const GROUP_COMMIT_MAX = 256;
type PendingRow = {
  values: RawParam[];
  events: boolean;
  resolve: (result: StoreResult) => void;
  reject: (err: unknown) => void;
  /** Answered (PostgreSQL rounds: an earlier round may have committed before a later one failed). */
  settled?: boolean;
};
/** What one statement row carries: the write that stands for `members` (several writes of one row). */
type Unit = { values: RawParam[]; events: boolean; members: PendingRow[] };

let pending: PendingRow[] = [];
let flushScheduled = false;

/**
 * Batches written at once. While they are, new rows wait and go in the next, larger batch: on
 * PostgreSQL fewer, fuller statements (and commits) under load; SQLite writes synchronously anyway.
 */
export const GROUP_COMMIT_IN_FLIGHT = 2;
let inFlight = 0;

/**
 * Group commit's work so far (/api/metrics): statements (each one commit) and the rows they carried;
 * requests whose data changed the row, found it unchanged (nothing written), or met the verified lock.
 */
export const groupCommitCounts = { statements: 0, rows: 0, changed: 0, unchanged: 0, locked: 0 };

function groupCommit(events: boolean, values: RawParam[]): Promise<StoreResult> {
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

const keyOf = (v: RawParam[]) => `${v[COMMUNITY] as string}\u0000${v[UUID] as string}`;
/** (community, uuid): the order every batch takes its row locks in, so two batches cannot deadlock. */
const byRowKey = (a: PendingRow, b: PendingRow) =>
  compare(a.values[COMMUNITY] as string, b.values[COMMUNITY] as string) ||
  compare(a.values[UUID] as string, b.values[UUID] as string);
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

/**
 * The batch as statement rows, in rounds (a statement may not write one row twice). Several writes of one
 * row that are all signed, or all unsigned, become one unit: the last one (the last request wins, and
 * the verified lock treats them alike) — a burst of one visitor costs one row change. A row whose writes
 * mix signed and unsigned data keeps one unit per write, in order, round after round, so the lock applies
 * between them as it would between separate batches.
 */
function roundsOf(batch: PendingRow[]): Unit[][] {
  const groups = new Map<string, PendingRow[]>();
  for (const r of batch) {
    const key = keyOf(r.values);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  const rounds: Unit[][] = [];
  for (const group of groups.values()) {
    const alike = group.every((r) => r.values[VERIFIED] === group[0]!.values[VERIFIED]);
    const units: Unit[] = alike
      ? [{ values: group.at(-1)!.values, events: group.some((r) => r.events), members: group }]
      : group.map((r) => ({ values: r.values, events: r.events, members: [r] }));
    units.forEach((u, k) => (rounds[k] ??= []).push(u));
  }
  return rounds;
}

async function writeBatch(batch: PendingRow[]): Promise<void> {
  batch.sort(byRowKey); // stable: two writes of one row keep their order, the later one wins
  const write = (rows: PendingRow[]) => {
    const events = rows.some((r) => r.events);
    return rawDb().dialect === "sqlite" ? writeSqlite(rows, events) : writePostgres(rows, events);
  };
  try {
    try {
      await write(batch);
    } catch {
      // The write failed as a whole (nothing of it is stored): each row alone, so one row's problem
      // (say, its community deleted meanwhile) is not every caller's.
      await Promise.all(batch.filter((r) => !r.settled).map((r) => write([r]).catch(r.reject)));
    }
  } catch (err) {
    for (const r of batch) r.reject(err); // (no database at all: each caller answers 503)
  }
}

/** Answers a unit's callers; a unit found unchanged marks its visitor seen (lib/dal/last-seen.ts). */
function settle(unit: Unit, outcome: Outcome): void {
  groupCommitCounts[outcome] += unit.members.length;
  if (outcome === "unchanged")
    recordSeen(unit.values[COMMUNITY] as string, unit.values[UUID] as string, unit.values[AT] as Date);
  for (const r of unit.members) {
    r.settled = true;
    r.resolve(RESULTS[outcome]);
  }
}

/**
 * Why a unit the upsert did not return was not written: signed data is never refused, so it was
 * unchanged; unsigned data was refused by the lock if the row is verified now, else unchanged.
 */
function outcomeOf(unit: Unit, written: Set<string>, verifiedNow: Set<string>): Outcome {
  const key = keyOf(unit.values);
  if (written.has(key)) return "changed";
  return unit.values[VERIFIED] === false && verifiedNow.has(key) ? "locked" : "unchanged";
}

const keysOf = (rows: Record<string, unknown>[]) =>
  new Set(rows.map((w) => `${w.communityId as string}\u0000${w.uuid as string}`));

/**
 * SQLite (one writer): the whole batch in one transaction inside the database worker — per round, the
 * events it causes (if any of its rows has webhook subscribers: decided in SQL against the rows as they
 * stand), its upsert, then which of its unsigned rows are verified (those the lock refused) — so no lock
 * is held across a round trip to the event loop. The callers are answered after COMMIT.
 */
async function writeSqlite(batch: PendingRow[], events: boolean): Promise<void> {
  const rounds = roundsOf(batch);
  const steps: BatchStatement[] = [];
  for (const round of rounds) {
    const evented = round.filter((u) => u.events);
    if (events && evented.length > 0) steps.push(sqliteIdentityEvents(evented));
    steps.push({ sql: upsertRows(round.length), params: round.flatMap((u) => u.values), rows: true });
    const unsigned = round.filter((u) => u.values[VERIFIED] === false);
    if (unsigned.length > 0) steps.push(verifiedAmong(unsigned));
  }
  const results = await rawDb().batch(steps);
  let messages = 0;
  let i = 0;
  for (const round of rounds) {
    if (events && round.some((u) => u.events)) messages += results[i++] as number;
    const written = keysOf(results[i++] as Record<string, unknown>[]);
    const verifiedNow = round.some((u) => u.values[VERIFIED] === false)
      ? keysOf(results[i++] as Record<string, unknown>[])
      : new Set<string>();
    groupCommitCounts.statements++;
    groupCommitCounts.rows += round.length;
    for (const unit of round) settle(unit, outcomeOf(unit, written, verifiedNow));
  }
  if (messages > 0) outboxWritten();
}

/**
 * PostgreSQL: one statement per round (one round trip, one commit). Its data-modifying CTE upserts; the
 * rest of the statement still sees the rows as they were before it, so the same statement also says
 * which unsigned rows were verified (those the lock refused) and — for communities with webhook
 * subscribers — decides identity.created / verified / updated against the stored state and writes the
 * messages, atomically with the rows: an identity answered 200 always has its event.
 */
async function writePostgres(batch: PendingRow[], events: boolean): Promise<void> {
  let messages = 0;
  for (const round of roundsOf(batch)) {
    const { sql, params } = postgresRound(round, events);
    const rows = await rawDb().queryRows(sql, params);
    groupCommitCounts.statements++;
    groupCommitCounts.rows += round.length;
    const written = new Set<string>();
    const verifiedNow = new Set<string>();
    for (const r of rows) {
      if (r.k === "m") messages += Number(r.m);
      else (r.k === "w" ? written : verifiedNow).add(`${r.communityId as string}\u0000${r.uuid as string}`);
    }
    for (const unit of round) settle(unit, outcomeOf(unit, written, verifiedNow));
  }
  if (messages > 0) outboxWritten();
}

const PG_STATE = `"communityId", "uuid", "verified", "fields", "customFields", "extraValues"`;
const pgInstant = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function postgresRound(round: Unit[], events: boolean): BatchStatement {
  const params: RawParam[] = [];
  const keys = (units: Unit[]) => {
    for (const u of units) params.push(u.values[COMMUNITY]!, u.values[UUID]!);
    return units.map(() => "(?, ?)").join(", ");
  };
  const evented = events ? round.filter((u) => u.events) : [];
  const ctes: string[] = [];
  if (evented.length > 0)
    ctes.push(`old AS (SELECT ${PG_STATE} FROM "identity" WHERE ("communityId", "uuid") IN (VALUES ${keys(evented)}))`);
  ctes.push(
    `up AS (${UPSERT_INTO}${round.map(() => UPSERT_ROW).join(", ")}${UPSERT_ON_CONFLICT} RETURNING *, (xmax = 0) AS "inserted")`,
  );
  params.push(...round.flatMap((u) => u.values));
  // (The placeholders are numbered in the order of the text: the parts are built in that order.)
  const selects = [`SELECT 'w' AS "k", "communityId", "uuid", 0 AS "m" FROM up`];
  if (evented.length > 0) {
    // Only the rows of the subscribed units: the others' communities have no subscriber.
    ctes.push(`ev AS (
      SELECT up.*, t."type" FROM up
        JOIN (VALUES ${keys(evented)}) AS s("communityId", "uuid") ON s."communityId" = up."communityId" AND s."uuid" = up."uuid"
        LEFT JOIN old o ON o."communityId" = up."communityId" AND o."uuid" = up."uuid"
        JOIN (VALUES ('identity.created'), ('identity.verified'), ('identity.updated')) AS t("type") ON CASE t."type"
          WHEN 'identity.created' THEN o."uuid" IS NULL AND up."inserted"
          WHEN 'identity.verified' THEN o."uuid" IS NOT NULL AND NOT o."verified" AND up."verified"
          -- a row another transaction inserted after this statement's snapshot: its earlier data is unknown
          ELSE (o."uuid" IS NULL AND NOT up."inserted")
            OR (o."uuid" IS NOT NULL AND (o."fields" <> up."fields" OR o."customFields" <> up."customFields" OR o."extraValues" <> up."extraValues"))
        END)`);
    ctes.push(`msg AS (
      INSERT INTO "webhook_message" ("id", "endpointId", "communityId", "type", "payload", "uuid", "status", "attemptCount", "nextAttemptAt", "createdAt")
      SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e."id", ev."communityId", ev."type",
             json_build_object('type', ev."type", 'timestamp', ${pgInstant('ev."updatedAt"')}, 'data', json_build_object(
               'uuid', ev."uuid", 'automated_uuid', ev."automatedUuid", 'verified', ev."verified", 'kid', ev."kid",
               'fields', ev."fields"::json, 'custom_fields', ev."customFields"::json, 'extra_values', ev."extraValues"::json,
               'sources', ev."sources"::json, 'created_at', ${pgInstant('ev."createdAt"')},
               'updated_at', ${pgInstant('ev."updatedAt"')}, 'last_seen_at', ${pgInstant('ev."lastSeenAt"')}))::text,
             ev."uuid", 'pending', 0, ev."updatedAt", ev."updatedAt"
        FROM ev JOIN "webhook_endpoint" e ON e."communityId" = ev."communityId" AND e."enabled" = TRUE
       WHERE position('"' || ev."type" || '"' in e."events") > 0
      RETURNING 1)`);
    selects.push(`SELECT 'm', NULL, NULL, count(*) FROM msg`);
  }
  const unsigned = round.filter((u) => u.values[VERIFIED] === false);
  if (unsigned.length > 0)
    selects.push(
      `SELECT 'v', "communityId", "uuid", 0 FROM "identity" WHERE "verified" = TRUE AND ("communityId", "uuid") IN (VALUES ${keys(unsigned)})`,
    );
  return { sql: `WITH ${ctes.join(",\n")}\n${selects.join("\nUNION ALL ")}`, params };
}

/** Which of these (unsigned) units' rows are verified — after the upsert: those the lock refused. */
function verifiedAmong(units: Unit[]): BatchStatement {
  return {
    sql: `SELECT "communityId", "uuid" FROM "identity" WHERE "verified" = TRUE AND ("communityId", "uuid") IN (VALUES ${units
      .map(() => "(?, ?)")
      .join(", ")})`,
    params: units.flatMap((u) => [u.values[COMMUNITY]!, u.values[UUID]!]),
    rows: true,
  };
}

const SQLITE_EVENT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/**
 * One INSERT of the messages a round of upserts causes (docs/reference.md, webhooks), decided in SQL
 * against the rows as they stand: identity.created where none is stored; identity.verified where a stored
 * unverified row becomes verified; identity.updated where fields, custom fields or extra values differ —
 * only where the upsert's verified lock lets the write through — one message per enabled endpoint
 * subscribed to the type (its JSON array of types holds the quoted type; the types are Vouch's own).
 */
function sqliteIdentityEvents(units: Unit[]): BatchStatement {
  const params: RawParam[] = [];
  for (const u of units) {
    const v = u.values;
    const at = v[AT] as Date;
    params.push(v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, at.toISOString(), at);
  }
  // The payload's data is the admin API's identity document (lib/dal/identities.ts identityDocument),
  // built here only for the rows that have an event; created_at is the stored row's (or now, when new).
  const sql = `WITH n("communityId", "uuid", "automated", "verified", "kid", "fields", "customFields", "extraValues", "sources", "iso", "at") AS (VALUES ${units.map(() => SQLITE_EVENT_ROW).join(", ")}),
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
           'created_at', COALESCE(strftime('%Y-%m-%dT%H:%M:%fZ', ev."ocreated"), ev."iso"), 'updated_at', ev."iso",
           'last_seen_at', ev."iso")),
         ev."uuid", 'pending', 0, ev."at", ev."at"
    FROM ev JOIN "webhook_endpoint" e ON e."communityId" = ev."communityId" AND e."enabled" = 1
   WHERE ev."type" IS NOT NULL AND instr(e."events", '"' || ev."type" || '"') > 0`;
  return { sql, params };
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
  INSERT INTO "identity" ("id", "communityId", "uuid", "automatedUuid", "verified", "kid", "fields", "customFields", "extraValues", "sources", "emailKey", "nameKey", "createdAt", "updatedAt", "lastSeenAt")
  VALUES `;
const UPSERT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// The update happens only when the verified lock lets it (stored row not verified, or this data signed)
// and the resulting state differs from the stored one: otherwise the row is not touched at all — no
// WAL on SQLite, no new tuple on PostgreSQL. (The search keys follow from the fields.)
const UPSERT_ON_CONFLICT = `
  ON CONFLICT ("communityId", "uuid") DO UPDATE SET
    "verified" = excluded."verified", "kid" = excluded."kid", "fields" = excluded."fields",
    "customFields" = excluded."customFields", "extraValues" = excluded."extraValues",
    "sources" = excluded."sources", "emailKey" = excluded."emailKey", "nameKey" = excluded."nameKey",
    "updatedAt" = excluded."updatedAt", "lastSeenAt" = excluded."lastSeenAt"
  WHERE ("identity"."verified" = FALSE OR excluded."verified" = TRUE)
    AND ("identity"."verified" <> excluded."verified" OR "identity"."kid" IS DISTINCT FROM excluded."kid"
      OR "identity"."fields" <> excluded."fields" OR "identity"."customFields" <> excluded."customFields"
      OR "identity"."extraValues" <> excluded."extraValues" OR "identity"."sources" <> excluded."sources")`;
/**
 * n rows in one statement, returning the keys of those written (the others were unchanged or locked).
 * One text per n, built once (group commit reuses a few sizes; the raw connection prepares each once).
 */
const upsertTexts: string[] = [];
const upsertRows = (n: number) =>
  (upsertTexts[n] ??=
    `${UPSERT_INTO}${Array(n).fill(UPSERT_ROW).join(", ")}${UPSERT_ON_CONFLICT} RETURNING "communityId", "uuid"`);

/** Read-only: would unsigned data for this uuid be refused? (for the token test console) */
export async function isVerifiedIdentity(communityId: string, uuid: string): Promise<boolean> {
  return (await db().identity.count({ where: { communityId, uuid, verified: true } })) > 0;
}
