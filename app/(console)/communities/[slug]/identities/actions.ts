"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { communityAction } from "@/lib/next/action";
import { describeErasure, eraseIdentity } from "@vouch/core/dal/identities";
import { uuidSchema } from "@vouch/core/identity/data";

/** Erasure (SPEC §9): admins only — the data layer checks the role and writes the audit entry. */
export const eraseIdentityAction = communityAction(z.object({ uuid: uuidSchema }), async (slug, input, actor) => {
  const erased = await eraseIdentity(actor, slug, input.uuid);
  revalidatePath(`/communities/${slug}/identities`, "layout");
  revalidatePath(`/communities/${slug}/verification-log`, "layout");
  return { ok: true, data: erased, message: describeErasure(erased) };
});
