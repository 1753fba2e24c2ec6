"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { communityAction } from "@/lib/next/action";
import { createCustomField, deleteCustomField, updateCustomField } from "@vouch/core/dal/custom-fields";
import { customFieldSchema, fieldKeySchema } from "@vouch/core/validations/custom-field";

const refresh = (slug: string) => revalidatePath(`/communities/${slug}`, "layout");

export const createCustomFieldAction = communityAction(customFieldSchema, async (slug, input, actor) => {
  const field = await createCustomField(actor, slug, input);
  refresh(slug);
  return { ok: true, data: field, message: `Custom field “${field.label}” (${field.key}) added.` };
});

/** The key is the field's identity and cannot change; everything else can. */
export const updateCustomFieldAction = communityAction(customFieldSchema, async (slug, input, actor) => {
  const field = await updateCustomField(actor, slug, input.key, input);
  refresh(slug);
  return { ok: true, data: field, message: `Custom field “${field.label}” saved.` };
});

export const deleteCustomFieldAction = communityAction(
  z.object({ key: fieldKeySchema }),
  async (slug, input, actor) => {
    await deleteCustomField(actor, slug, input.key);
    refresh(slug);
    return { ok: true, data: null, message: "Custom field deleted." };
  },
);
