// Identity records, upserted per (community, uuid) — one write per accepted request.
// The verified-identity lock (SPEC §2.3) is enforced by the write itself, so concurrent requests
// cannot race past it: unsigned data only ever updates rows that are not verified.
import { db, rawDb } from "../db";
import crypto from "node:crypto";
import type { IdentityOutcome } from "../identity/process";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { parseJsonObject } from "./row-format";

export type StoreResult = { stored: true } | { stored: false; locked: true };

/**
 * One statement, atomic on both databases: insert, or update unless the stored identity is verified
 * and this data is not. 0 rows affected = refused by the lock. Raw SQL on purpose: this is the one
 * write of the hot path, so it goes through a raw driver connection (lib/db-raw.ts), skipping the ORM's
 * per-query work (see docs/benchmarks.md).
 */
export async function storeIdentity(communityId: string, identity: IdentityOutcome): Promise<StoreResult> {
  const now = new Date();
  const affected = await rawDb().execute(UPSERT, [
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
    now,
    now,
  ]);
  return affected > 0 ? { stored: true } : { stored: false, locked: true };
}

const UPSERT = `
  INSERT INTO "identity" ("id", "communityId", "uuid", "automatedUuid", "verified", "kid", "fields", "customFields", "extraValues", "sources", "createdAt", "updatedAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT ("communityId", "uuid") DO UPDATE SET
    "verified" = excluded."verified", "kid" = excluded."kid", "fields" = excluded."fields",
    "customFields" = excluded."customFields", "extraValues" = excluded."extraValues",
    "sources" = excluded."sources", "updatedAt" = excluded."updatedAt"
  WHERE "identity"."verified" = FALSE OR excluded."verified" = TRUE`;

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

export async function listRecentIdentities(
  actor: Actor | null,
  communityId: string,
  take = 50,
): Promise<IdentityDto[]> {
  assertReader(actor);
  const rows = await db().identity.findMany({ where: { communityId }, orderBy: { updatedAt: "desc" }, take });
  return rows.map((r) => ({
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
  }));
}
