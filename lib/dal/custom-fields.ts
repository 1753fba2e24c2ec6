import { DomainError, prismaCode } from "../errors";
import { customFieldSchema, type CustomFieldInput } from "../validations/custom-field";
import { changeCommunity, type ChangeActor } from "./community-change";
import type { CustomFieldDto } from "./identity-settings";
import { customTarget } from "../identity/vocabulary";
import { parseJsonArray } from "./row-format";

const fieldDetails = (f: { label: string; type: string; choices: string[]; regex: string | null }) => ({
  label: f.label,
  type: f.type,
  choices: f.choices,
  regex: f.regex,
});

export async function createCustomField(
  actor: ChangeActor,
  slug: string,
  raw: CustomFieldInput,
): Promise<CustomFieldDto> {
  const input = customFieldSchema.parse(raw);
  return changeCommunity(actor, slug, "add custom fields", async (tx, community) => {
    const position = await tx.customField.count({ where: { communityId: community.id } });
    try {
      await tx.customField.create({
        data: {
          communityId: community.id,
          key: input.key,
          label: input.label,
          type: input.type,
          choices: JSON.stringify(input.choices),
          regex: input.regex,
          position,
        },
      });
    } catch (err) {
      if (prismaCode(err) === "P2002")
        throw new DomainError("conflict", `This community already has a custom field with key "${input.key}"`, "key");
      throw err;
    }
    const dto = { key: input.key, label: input.label, type: input.type, choices: input.choices, regex: input.regex };
    return { result: dto, action: "custom_field.create", target: input.key, details: fieldDetails(dto) };
  });
}

/** Edits a field's label, type, choices and regex. Its key is its identity (mappings and stored values use it). */
export async function updateCustomField(
  actor: ChangeActor,
  slug: string,
  key: string,
  raw: CustomFieldInput,
): Promise<CustomFieldDto> {
  const input = customFieldSchema.parse({ ...raw, key });
  return changeCommunity(actor, slug, "edit custom fields", async (tx, community) => {
    const current = await tx.customField.findUnique({ where: { communityId_key: { communityId: community.id, key } } });
    if (!current) throw new DomainError("not_found", `There is no custom field "${key}" any more`);
    const before = {
      label: current.label,
      type: current.type,
      choices: parseJsonArray(current.choices),
      regex: current.regex,
    };
    const after = { label: input.label, type: input.type, choices: input.choices, regex: input.regex };
    const changed = Object.fromEntries(
      (Object.keys(after) as (keyof typeof after)[])
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, { from: before[k], to: after[k] }]),
    );
    const dto = { key, ...after };
    if (Object.keys(changed).length === 0) return { result: dto, unchanged: true as const };
    await tx.customField.update({
      where: { id: current.id },
      data: { label: after.label, type: after.type, choices: JSON.stringify(after.choices), regex: after.regex },
    });
    return { result: dto, action: "custom_field.update", target: key, details: changed };
  });
}

export async function deleteCustomField(actor: ChangeActor, slug: string, key: string): Promise<void> {
  await changeCommunity(actor, slug, "delete custom fields", async (tx, community) => {
    const current = await tx.customField.findUnique({ where: { communityId_key: { communityId: community.id, key } } });
    if (!current) throw new DomainError("not_found", `There is no custom field "${key}" any more`);
    const mapping = await tx.extraValueMapping.findFirst({
      where: { communityId: community.id, field: customTarget(key) },
    });
    if (mapping) {
      throw new DomainError(
        "conflict",
        `“${current.label}” is used by the mapping “${mapping.key} → ${current.label}”: delete that mapping first`,
      );
    }
    await tx.customField.delete({ where: { id: current.id } });
    return {
      result: undefined,
      action: "custom_field.delete",
      target: key,
      details: { label: current.label, type: current.type },
    };
  });
}
