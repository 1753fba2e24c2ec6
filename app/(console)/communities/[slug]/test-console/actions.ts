"use server";
import { communityAction } from "@/lib/action";
import { testIdentityInput } from "@/lib/dal/token-test";
import { tokenTestSchema } from "@/lib/validations/token-test";

/** Read-only (viewers may use it too): verifies, explains, stores nothing. */
export const testIdentityAction = communityAction(tokenTestSchema, async (slug, { input }) => ({
  ok: true,
  data: await testIdentityInput(slug, input),
}));
