// Searching a community's identities (docs/reference.md): one contract for the console's Identities page (its
// address, so a search can be linked to) and the admin API's `GET …/identities`.
import { z } from "zod";

const blankAsUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const identitySearchSchema = z.object({
  q: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .trim()
      .max(200, "q: at most 200 characters (a uuid, or the start of an e-mail or a name)")
      .optional()
      .meta({ description: "A uuid (exact), or the start of an e-mail or a display name (any case)." }),
  ),
  verified: z.preprocess(
    blankAsUndefined,
    z
      .enum(["true", "false"], 'verified: "true" or "false"')
      .transform((v) => v === "true")
      .optional()
      .meta({ description: "Only verified (true) or only unverified (false) identities." }),
  ),
  limit: z.preprocess(
    blankAsUndefined,
    z.coerce
      .number("limit: a whole number, 1–200")
      .int("limit: a whole number, 1–200")
      .min(1, "limit: a whole number, 1–200")
      .max(200, "limit: a whole number, 1–200")
      .default(50)
      .meta({ description: "Page size." }),
  ),
  cursor: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .max(200, "cursor: use next_cursor as given")
      .optional()
      .meta({ description: "The previous page's next_cursor." }),
  ),
});
export type IdentitySearchQuery = z.output<typeof identitySearchSchema>;

/** The search as URL parameters (blank ones left out), for links between pages. */
export function identitySearchParams(q: Partial<IdentitySearchQuery>): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set("q", q.q);
  if (q.verified != null) p.set("verified", String(q.verified));
  if (q.limit && q.limit !== 50) p.set("limit", String(q.limit));
  if (q.cursor) p.set("cursor", q.cursor);
  return p;
}
