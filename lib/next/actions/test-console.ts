"use server";
import { communityAction } from "@/lib/next/action";
import { testIdentityInput } from "@vouch/core/dal/token-test";
import { tokenTestSchema } from "@vouch/core/validations/token-test";

/** Read-only (viewers may use it too): verifies, explains, stores nothing. */
export const testIdentityAction = communityAction(tokenTestSchema, async (slug, { input }) => ({
  ok: true,
  data: await testIdentityInput(slug, input),
}));
