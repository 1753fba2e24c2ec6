// Identity records as the console, the admin API and the CLI read them: one identity, its export
// document, and the searchable, keyset-paged list (docs/reference.md, data lifecycle).
import { db, type Prisma } from "../db";
import type { Actor } from "../authz";
import { assertReader } from "./access";
import { communityIdOf } from "./communities";
import { DomainError } from "../errors";
import { parseJsonObject } from "./row-format";

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
  /** When the stored data last changed. */
  updatedAt: Date;
  /** When the visitor was last seen (refreshed at most every 10 minutes while nothing changes). */
  lastSeenAt: Date;
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
  lastSeenAt: Date;
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
  lastSeenAt: r.lastSeenAt,
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
    last_seen_at: i.lastSeenAt.toISOString(),
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

/** Verified identities of a community (what "revoke all tokens" would make unverified). */
export async function countVerifiedIdentities(actor: Actor | null, communityId: string): Promise<number> {
  assertReader(actor);
  return db().identity.count({ where: { communityId, verified: true } });
}
