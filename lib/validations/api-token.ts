import { z } from "zod";
import { ROLES } from "../authz";

export const apiTokenCreateSchema = z.object({
  name: z.string().trim().min(1, "Name the token (what uses it)").max(80, "At most 80 characters"),
  role: z.enum(ROLES, "Choose admin or viewer"),
  expires_days: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.coerce
      .number({ error: "A whole number of days, 1–3650" })
      .int("A whole number of days, 1–3650")
      .min(1, "A whole number of days, 1–3650")
      .max(3650, "A whole number of days, 1–3650")
      .optional(),
  ),
});
export type ApiTokenCreateInput = z.input<typeof apiTokenCreateSchema>;
