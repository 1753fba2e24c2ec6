import { z } from "zod";
import { fieldKeySchema } from "./custom-field";
import { customKeyOf, extraValueKeySchema, PREDEFINED_FIELDS } from "../identity/vocabulary";

/** A mapping's destination: a predefined identity field, or "custom:<custom field key>". */
export const mappingTargetSchema = z
  .string()
  .refine(
    (t) => (PREDEFINED_FIELDS as readonly string[]).includes(t) || fieldKeySchema.safeParse(customKeyOf(t)).success,
    "Choose a predefined field or a custom field",
  );

export const mappingSchema = z.object({ key: extraValueKeySchema, field: mappingTargetSchema });
export type MappingInput = z.input<typeof mappingSchema>;
