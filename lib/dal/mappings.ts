import { DomainError } from "../errors";
import { mappingSchema, type MappingInput } from "../validations/mapping";
import { changeCommunity, type ChangeActor } from "./community-change";
import type { MappingDto } from "./identity-settings";
import { customKeyOf } from "../identity/vocabulary";

export async function addMapping(actor: ChangeActor, slug: string, raw: MappingInput): Promise<MappingDto> {
  const input = mappingSchema.parse(raw);
  return changeCommunity(actor, slug, "add mappings", async (tx, community) => {
    const customKey = customKeyOf(input.field);
    if (
      customKey !== null &&
      !(await tx.customField.findUnique({ where: { communityId_key: { communityId: community.id, key: customKey } } }))
    ) {
      throw new DomainError("invalid", `There is no custom field "${customKey}"`, "field");
    }
    const sameKey = await tx.extraValueMapping.findUnique({
      where: { communityId_key: { communityId: community.id, key: input.key } },
    });
    if (sameKey) throw new DomainError("conflict", `“${input.key}” is already mapped to ${sameKey.field}`, "key");
    const sameField = await tx.extraValueMapping.findUnique({
      where: { communityId_field: { communityId: community.id, field: input.field } },
    });
    if (sameField) throw new DomainError("conflict", `${input.field} already receives “${sameField.key}”`, "field");
    await tx.extraValueMapping.create({ data: { communityId: community.id, key: input.key, field: input.field } });
    return {
      result: input,
      action: "mapping.create",
      target: input.key,
      details: { key: input.key, field: input.field },
    };
  });
}

export async function deleteMapping(actor: ChangeActor, slug: string, key: string): Promise<void> {
  await changeCommunity(actor, slug, "delete mappings", async (tx, community) => {
    const current = await tx.extraValueMapping.findUnique({
      where: { communityId_key: { communityId: community.id, key } },
    });
    if (!current) throw new DomainError("not_found", `There is no mapping for “${key}” any more`);
    await tx.extraValueMapping.delete({ where: { id: current.id } });
    return { result: undefined, action: "mapping.delete", target: key, details: { key, field: current.field } };
  });
}
