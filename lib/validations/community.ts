import { z } from "zod";
import { toIdentifier } from "./identifier";
import { SLUG_MAX, SLUG_MIN, SLUG_PATTERN } from "../identity/vocabulary";

export const communityNameSchema = z.string().trim().min(1, "Enter a name").max(100, "Use at most 100 characters");

/** The community's public identifier: part of the URL chat widgets call, so it never changes. */
export const slugSchema = z
  .string()
  .trim()
  .min(SLUG_MIN, `Use at least ${SLUG_MIN} characters`)
  .max(SLUG_MAX, `Use at most ${SLUG_MAX} characters`)
  .regex(SLUG_PATTERN, "Use lower-case letters, digits and single hyphens (e.g. acme-shop)");

export const communityCreateSchema = z.object({ name: communityNameSchema, slug: slugSchema });
export type CommunityCreateInput = z.input<typeof communityCreateSchema>;

export const communityRenameSchema = z.object({ slug: slugSchema, name: communityNameSchema });
export type CommunityRenameInput = z.input<typeof communityRenameSchema>;

export const communityDeleteSchema = z.object({ slug: slugSchema });

/** Suggests a slug from a name: "Acme Shop (EU)" → "acme-shop-eu". */
export function slugify(name: string): string {
  return toIdentifier(name, "-", 48);
}
