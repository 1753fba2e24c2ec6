"use server";
import { revalidatePath } from "next/cache";
import { communityAction } from "@/lib/action";
import { updateAllowedOrigins } from "@/lib/dal/identity-settings";
import { allowedOriginsFormSchema } from "@/lib/validations/community-settings";

export const updateAllowedOriginsAction = communityAction(allowedOriginsFormSchema, async (slug, input, actor) => {
  const origins = await updateAllowedOrigins(actor, slug, input.allowed_origins);
  revalidatePath(`/communities/${slug}`, "layout");
  return { ok: true, data: { allowed_origins: origins }, message: origins.length ? `Saved ${origins.length} allowed origin${origins.length === 1 ? "" : "s"}.` : "Saved: no browser origin may call the identity route." };
});
