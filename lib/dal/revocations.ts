// Revocation (docs/reference.md, revocation): "sign out everywhere" for one uuid, "revoke all tokens" for a
// community. Signed tokens issued before the instant (or without iat) are refused token_revoked; tokens
// issued afterwards are accepted again. Both bump the community's configuration version, so every
// instance's cached configuration — which carries the revocations — reloads within a second; the
// identity route then answers from memory, with no database read in the common case.
import { db } from "../db";
import type { RevocationLookup } from "../identity/config";
import { checkUuid } from "../identity/data";
import { changeCommunity, type ChangeActor } from "./community-change";
import { uuidAuditLabel, uuidDigest } from "./audit";

/** Per-uuid revocations a cached configuration holds (the newest); beyond, a lookup reads the rest. */
export const REVOCATIONS_CACHED = 10_000;

const later = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * The revocation lookup a cached configuration carries: null when nothing was ever revoked in the
 * community (the route then does no work at all), else answered from memory — or, for a community with
 * more than REVOCATIONS_CACHED revoked uuids, from the database for the uuids not held.
 */
export async function loadRevocations(
  communityId: string,
  tokensRevokedAt: Date | null,
): Promise<{ lookup: RevocationLookup | null; cached: number }> {
  const rows = await db().identityRevocation.findMany({
    where: { communityId },
    orderBy: { revokedAt: "desc" },
    take: REVOCATIONS_CACHED + 1,
    select: { uuidDigest: true, revokedAt: true },
  });
  const all = tokensRevokedAt?.getTime() ?? null;
  if (rows.length === 0 && all === null) return { lookup: null, cached: 0 };
  const complete = rows.length <= REVOCATIONS_CACHED;
  const held = new Map(rows.slice(0, REVOCATIONS_CACHED).map((r) => [r.uuidDigest, r.revokedAt.getTime()]));
  const lookup: RevocationLookup = (uuid) => {
    if (held.size === 0 && complete) return all;
    const digest = uuidDigest(uuid);
    const one = held.get(digest);
    if (one !== undefined || complete) return later(all, one ?? null);
    return db()
      .identityRevocation.findUnique({
        where: { communityId_uuidDigest: { communityId, uuidDigest: digest } },
        select: { revokedAt: true },
      })
      .then((r) => later(all, r?.revokedAt.getTime() ?? null));
  };
  return { lookup, cached: held.size };
}

export interface UuidRevocation {
  revokedAt: Date;
  /** Whether an identity is stored for the uuid (a revocation may pre-empt a visitor not seen yet). */
  identityStored: boolean;
  /** Whether the stored identity was verified (it is not any more). */
  wasVerified: boolean;
}

/** "Sign out everywhere" for one uuid: its tokens issued before now are refused; its identity unverified. */
export async function revokeIdentity(actor: ChangeActor, slug: string, uuid: string): Promise<UuidRevocation> {
  checkUuid(uuid);
  return changeCommunity(actor, slug, "revoke tokens", async (tx, community) => {
    const revokedAt = new Date();
    const key = { communityId: community.id, uuidDigest: uuidDigest(uuid) };
    await tx.identityRevocation.upsert({
      where: { communityId_uuidDigest: key },
      create: { ...key, revokedAt },
      update: { revokedAt },
    });
    const identity = await tx.identity.findUnique({
      where: { communityId_uuid: { communityId: community.id, uuid } },
      select: { id: true, verified: true },
    });
    if (identity?.verified)
      await tx.identity.update({ where: { id: identity.id }, data: { verified: false, kid: null } });
    const result = { revokedAt, identityStored: identity !== null, wasVerified: identity?.verified ?? false };
    return {
      result,
      action: "identity.revoke",
      target: uuidAuditLabel(uuid),
      details: { identity_stored: result.identityStored, was_verified: result.wasVerified },
      event: {
        type: "identity.revoked",
        uuid,
        data: {
          uuid,
          revoked_at: revokedAt.toISOString(),
          identity_stored: result.identityStored,
          was_verified: result.wasVerified,
        },
      },
    };
  });
}

export interface CommunityRevocation {
  revokedAt: Date;
  /** Verified identities made unverified. */
  identitiesUnverified: number;
}

/** "Revoke all tokens" of a community (a leaked key or tokens): every token issued before now is refused. */
export async function revokeCommunityTokens(actor: ChangeActor, slug: string): Promise<CommunityRevocation> {
  return changeCommunity(actor, slug, "revoke tokens", async (tx, community) => {
    const revokedAt = new Date();
    await tx.community.update({ where: { id: community.id }, data: { tokensRevokedAt: revokedAt } });
    // Per-uuid revocations up to now say nothing more than this one.
    await tx.identityRevocation.deleteMany({ where: { communityId: community.id, revokedAt: { lte: revokedAt } } });
    const { count } = await tx.identity.updateMany({
      where: { communityId: community.id, verified: true },
      data: { verified: false, kid: null },
    });
    return {
      result: { revokedAt, identitiesUnverified: count },
      action: "community.revoke_tokens",
      details: { identities_unverified: count },
    };
  });
}

/** A revocation's answer in a sentence (the console's and the CLI's). */
export function describeRevocation(r: UuidRevocation | CommunityRevocation): string {
  const at = r.revokedAt.toISOString().replace(/\.\d{3}Z$/, "Z");
  if ("identitiesUnverified" in r)
    return `Every token of this community issued before ${at} is now refused (token_revoked); ${r.identitiesUnverified} verified identit${r.identitiesUnverified === 1 ? "y is" : "ies are"} unverified until new tokens arrive.`;
  const tail = !r.identityStored
    ? "No identity is stored for this uuid yet: its tokens issued before now will be refused when it comes."
    : r.wasVerified
      ? "Its identity is unverified until a new token arrives."
      : "Its identity was not verified.";
  return `Tokens for this uuid issued before ${at} are now refused (token_revoked). ${tail}`;
}
