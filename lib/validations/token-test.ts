import { z } from "zod";

/** The token test console's one field: a JWT or a JSON identity, checked as the route would. */
export const tokenTestSchema = z.object({
  input: z.string().trim().min(1, "Paste a JWT or a JSON identity").max(70_000, "At most 64 KiB"),
});
