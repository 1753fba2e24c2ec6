import { z } from "zod";
import { toIdentifier } from "./identifier";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const communityNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(100, "Use at most 100 characters");

export const SLUG_MIN = 3;
export const SLUG_MAX = 48;
/** The slug rule alone, for the public route: checked before any lookup (SPEC §8). */
export const isSlug = (value: string) => value.length >= SLUG_MIN && value.length <= SLUG_MAX && SLUG_PATTERN.test(value);

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
