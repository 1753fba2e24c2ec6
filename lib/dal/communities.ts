import { db } from "../db";
import { canManage, type Actor } from "../authz";
import { DomainError, forbidden, prismaCode } from "../errors";
import {
  communityCreateSchema,
  communityRenameSchema,
  slugSchema,
  type CommunityCreateInput,
  type CommunityRenameInput,
} from "../validations/community";
import { assertReader } from "./access";
import { audit } from "./audit";
import { invalidateRuntimeConfig } from "./runtime-config";

export interface CommunityDto {
  id: string;
  slug: string;
  name: string;
  signedIdentities: string;
  createdAt: Date;
  updatedAt: Date;
}
const communitySelect = {
  id: true,
  slug: true,
  name: true,
  signedIdentities: true,
  createdAt: true,
  updatedAt: true,
} as const;

export async function listCommunities(actor: Actor | null): Promise<CommunityDto[]> {
  assertReader(actor);
  return db().community.findMany({ select: communitySelect, orderBy: { name: "asc" } });
}

export async function findCommunity(actor: Actor | null, slug: string): Promise<CommunityDto | null> {
  assertReader(actor);
  if (!slugSchema.safeParse(slug).success) return null;
  return db().community.findUnique({ where: { slug }, select: communitySelect });
}

/** The id of the community `slug` names, or a not_found DomainError; the caller checks who asks. */
export async function communityIdOf(slug: string): Promise<string> {
  const c = await db().community.findUnique({ where: { slug }, select: { id: true } });
  if (!c) throw new DomainError("not_found", `No community with identifier "${slug}"`);
  return c.id;
}

/** `actor` null means the operator CLI. */
export async function createCommunity(actor: Actor | null, raw: CommunityCreateInput): Promise<CommunityDto> {
  if (actor && !canManage(actor)) throw forbidden("create communities");
  const input = communityCreateSchema.parse(raw);
  try {
    return await db().$transaction(async (tx) => {
      const community = await tx.community.create({ data: input, select: communitySelect });
      await audit(tx, actor ?? { id: null, email: "cli" }, "community.create", {
        communityId: community.id,
        targetLabel: community.slug,
        details: { name: community.name, slug: community.slug },
      });
      return community;
    });
  } catch (err) {
    if (prismaCode(err) === "P2002") {
      throw new DomainError("conflict", `Another community already uses the identifier "${input.slug}"`, "slug");
    }
    throw err;
  }
}

export async function renameCommunity(actor: Actor, raw: CommunityRenameInput): Promise<CommunityDto> {
  if (!canManage(actor)) throw forbidden("rename communities");
  const input = communityRenameSchema.parse(raw);
  return db().$transaction(async (tx) => {
    const current = await tx.community.findUnique({ where: { slug: input.slug }, select: communitySelect });
    if (!current) throw new DomainError("not_found", "This community no longer exists");
    if (current.name === input.name) return current;
    const updated = await tx.community.update({
      where: { id: current.id },
      data: { name: input.name },
      select: communitySelect,
    });
    await audit(tx, actor, "community.rename", {
      communityId: current.id,
      targetLabel: current.slug,
      details: { name: { from: current.name, to: updated.name } },
    });
    return updated;
  });
}

export async function deleteCommunity(actor: Actor, slug: string): Promise<void> {
  if (!canManage(actor)) throw forbidden("delete communities");
  await db().$transaction(async (tx) => {
    const current = await tx.community.findUnique({ where: { slug }, select: communitySelect });
    if (!current) throw new DomainError("not_found", "This community no longer exists");
    await tx.community.delete({ where: { id: current.id } });
    // Written after the delete so the entry is not detached by it; it names the community in its label.
    await audit(tx, actor, "community.delete", { targetLabel: current.slug, details: { name: current.name } });
  });
  invalidateRuntimeConfig(slug);
}
