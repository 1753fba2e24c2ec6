"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { communityAction } from "@/lib/next/action";
import { addMapping, deleteMapping } from "@vouch/core/dal/mappings";
import { mappingSchema } from "@vouch/core/validations/mapping";
import { extraValueKeySchema } from "@vouch/core/identity/vocabulary";

const refresh = (slug: string) => revalidatePath(`/communities/${slug}`, "layout");

export const addMappingAction = communityAction(mappingSchema, async (slug, input, actor) => {
  const mapping = await addMapping(actor, slug, input);
  refresh(slug);
  return { ok: true, data: mapping, message: `“${mapping.key}” now goes to ${mapping.field}.` };
});

export const deleteMappingAction = communityAction(
  z.object({ key: extraValueKeySchema }),
  async (slug, input, actor) => {
    await deleteMapping(actor, slug, input.key);
    refresh(slug);
    return { ok: true, data: null, message: "Mapping deleted." };
  },
);
