"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/next/action";
import { createApiToken, revokeApiToken } from "@vouch/core/dal/api-tokens";
import { apiTokenCreateSchema } from "@vouch/core/validations/api-token";

export const createApiTokenAction = authedAction(apiTokenCreateSchema, async (input, actor) => {
  const { token, dto } = await createApiToken(actor, input);
  revalidatePath("/accounts/api-tokens");
  // The token goes back this once, to the admin who created it; only its hash is stored.
  return { ok: true, data: { token, name: dto.name }, message: `API token “${dto.name}” created.` };
});

export const revokeApiTokenAction = authedAction(z.object({ id: z.string().min(1).max(64) }), async (input, actor) => {
  const dto = await revokeApiToken(actor, input.id);
  revalidatePath("/accounts/api-tokens");
  return { ok: true, data: null, message: `API token “${dto.name}” revoked.` };
});
