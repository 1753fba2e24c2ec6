"use server";
import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/next/action";
import { createCommunity, deleteCommunity, renameCommunity } from "@vouch/core/dal/communities";
import { communityCreateSchema, communityDeleteSchema, communityRenameSchema } from "@vouch/core/validations/community";

export const createCommunityAction = authedAction(communityCreateSchema, async (input, actor) => {
  const community = await createCommunity(actor, input);
  revalidatePath("/communities");
  return { ok: true, data: { slug: community.slug }, message: `Community "${community.name}" created.` };
});

export const renameCommunityAction = authedAction(communityRenameSchema, async (input, actor) => {
  const community = await renameCommunity(actor, input);
  revalidatePath("/communities");
  revalidatePath(`/communities/${community.slug}`);
  return { ok: true, data: { name: community.name }, message: "Name saved." };
});

export const deleteCommunityAction = authedAction(communityDeleteSchema, async (input, actor) => {
  await deleteCommunity(actor, input.slug);
  revalidatePath("/communities");
  return { ok: true, data: null, message: "Community deleted." };
});
