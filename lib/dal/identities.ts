// Identity records, upserted per (community, uuid) — one write per accepted request.
// The verified-identity lock (SPEC §2.3) is enforced by the write itself, so concurrent requests
// cannot race past it: unsigned data only ever updates rows that are not verified.
import { db, rawDb } from "../db";
import crypto from "node:crypto";
import type { IdentityOutcome } from "../identity/process";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { audit } from "./audit";
import { communityIdOf } from "./communities";
import { canManage } from "../authz";
import { DomainError, forbidden } from "../errors";
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
  return rows.map(toDto);
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

/** One identity as a JSON document (SPEC §9, access): every stored attribute and where each came from. */
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

/** Newest first, `limit` a page; `cursor` is the last uuid of the previous page (opaque to callers). */
export async function listIdentityPage(
  actor: Actor | null,
  slug: string,
  { limit = 50, cursor }: { limit?: number; cursor?: string | null } = {},
): Promise<{ identities: IdentityDto[]; nextCursor: string | null }> {
  assertReader(actor);
  const communityId = await communityIdOf(slug);
  const take = Math.min(200, Math.max(1, Math.floor(limit)));
  const rows = await db().identity.findMany({
    where: { communityId },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(cursor ? { cursor: { communityId_uuid: { communityId, uuid: cursor } }, skip: 1 } : {}),
  });
  return {
    identities: rows.slice(0, take).map(toDto),
    nextCursor: rows.length > take ? rows[take - 1]!.uuid : null,
  };
}

/**
 * Erases one identity (SPEC §9): the identity and the verification-log entries naming its uuid. Admins
 * only. The audit entry records that an identity was erased and by whom — a hash of the uuid, no values.
 */
export async function eraseIdentity(actor: Actor | null, slug: string, uuid: string): Promise<{ logEntries: number }> {
  if (actor && !canManage(actor)) throw forbidden("erase identities");
  const communityId = await communityIdOf(slug);
  return db().$transaction(async (tx) => {
    const row = await tx.identity.findUnique({
      where: { communityId_uuid: { communityId, uuid } },
      select: { id: true },
    });
    if (!row) throw new DomainError("not_found", "There is no identity with this uuid in this community");
    await tx.identity.delete({ where: { id: row.id } });
    // Log details quote a uuid as uuid "<value>" (cut to 64 characters).
    const quoted = `uuid "${uuid.slice(0, 64)}"`;
    const { count } = await tx.verificationLog.deleteMany({ where: { communityId, detail: { contains: quoted } } });
    await audit(tx, actor ?? { id: null, email: "cli" }, "identity.erase", {
      communityId,
      targetLabel: `uuid sha256:${crypto.createHash("sha256").update(uuid).digest("hex").slice(0, 16)}`,
      details: { log_entries_deleted: count },
    });
    return { logEntries: count };
  });
}
