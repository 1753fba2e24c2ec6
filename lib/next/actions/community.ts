"use server";
import { revalidatePath } from "next/cache";
import { communityAction } from "@/lib/next/action";
import { updateAllowedOrigins, updateRateLimit, updateRetention } from "@vouch/core/dal/identity-settings";
import {
  allowedOriginsFormSchema,
  rateLimitFormSchema,
  retentionFormSchema,
} from "@vouch/core/validations/community-settings";

export const updateAllowedOriginsAction = communityAction(allowedOriginsFormSchema, async (slug, input, actor) => {
  const origins = await updateAllowedOrigins(actor, slug, input.allowed_origins);
  revalidatePath(`/communities/${slug}`, "layout");
  return {
    ok: true,
    data: { allowed_origins: origins },
    message: origins.length
      ? `Saved ${origins.length} allowed origin${origins.length === 1 ? "" : "s"}.`
      : "Saved: no browser origin may call the identity route.",
  };
});

export const updateRetentionAction = communityAction(retentionFormSchema, async (slug, input, actor) => {
  const days = await updateRetention(actor, slug, input);
  revalidatePath(`/communities/${slug}`, "layout");
  return { ok: true, data: { identity_retention_days: days }, message: `Saved: identities are kept ${days} days.` };
});

export const updateRateLimitAction = communityAction(rateLimitFormSchema, async (slug, input, actor) => {
  const limit = await updateRateLimit(actor, slug, input);
  revalidatePath(`/communities/${slug}`, "layout");
  return {
    ok: true,
    data: { rate_limit_per_minute: limit },
    message:
      limit === 0
        ? "Saved: no per-visitor limit."
        : `Saved: at most ${limit.toLocaleString("en")} identity calls per minute per visitor address.`,
  };
});
