"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { communityAction } from "@/lib/next/action";
import { describeErasure, eraseIdentity } from "@vouch/core/dal/erasure";
import { uuidSchema } from "@vouch/core/identity/data";
import { describeRevocation, revokeIdentity } from "@vouch/core/dal/revocations";

/** Erasure (docs/reference.md): admins only — the data layer checks the role and writes the audit entry. */
export const eraseIdentityAction = communityAction(z.object({ uuid: uuidSchema }), async (slug, input, actor) => {
  const erased = await eraseIdentity(actor, slug, input.uuid);
  revalidatePath(`/communities/${slug}/identities`, "layout");
  revalidatePath(`/communities/${slug}/verification-log`, "layout");
  return { ok: true, data: erased, message: describeErasure(erased) };
});

/** "Sign out everywhere" (docs/reference.md, revocation): admins only, checked by the data layer. */
export const revokeIdentityAction = communityAction(z.object({ uuid: uuidSchema }), async (slug, input, actor) => {
  const revoked = await revokeIdentity(actor, slug, input.uuid);
  revalidatePath(`/communities/${slug}/identities`, "layout");
  return { ok: true, data: null, message: describeRevocation(revoked) };
});
