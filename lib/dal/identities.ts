// Identity records, upserted per (community, uuid) — one write per accepted request.
// The verified-identity lock (SPEC §2.3) is enforced by the write itself, so concurrent requests
// cannot race past it: unsigned data only ever updates rows that are not verified.
import { db } from "../db";
import { prismaCode } from "../errors";
import type { IdentityOutcome } from "../identity/process";
import { parseJsonObject } from "./row-format";

export type StoreResult = { stored: true; created: boolean } | { stored: false; locked: true };

export async function storeIdentity(communityId: string, identity: IdentityOutcome): Promise<StoreResult> {
  const data = {
    verified: identity.verified,
    kid: identity.kid,
    fields: JSON.stringify(identity.applied.fields),
    customFields: JSON.stringify(identity.applied.customFields),
    extraValues: JSON.stringify(identity.applied.extraValues),
    sources: JSON.stringify(identity.applied.sources),
  };
  const where = { communityId, uuid: identity.uuid };
  for (let attempt = 0; attempt < 3; attempt++) {
    // Signed data may replace anything; unsigned data only an identity that is not verified.
    const updated = await db().identity.updateMany({ where: identity.verified ? where : { ...where, verified: false }, data });
    if (updated.count > 0) return { stored: true, created: false };
    try {
      await db().identity.create({ data: { ...where, automatedUuid: identity.automatedUuid, ...data } });
      return { stored: true, created: true };
    } catch (err) {
      if (prismaCode(err) !== "P2002") throw err;
      // Someone created it meanwhile. If it is verified and we are not, we are locked out.
      if (!identity.verified && (await db().identity.count({ where: { ...where, verified: true } })) > 0) {
        return { stored: false, locked: true };
      }
    }
  }
  return { stored: false, locked: true };
}

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

export async function listRecentIdentities(communityId: string, take = 50): Promise<IdentityDto[]> {
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
