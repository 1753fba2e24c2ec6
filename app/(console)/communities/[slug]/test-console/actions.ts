"use server";
import { z } from "zod";
import { communityAction } from "@/lib/action";
import { testIdentityInput } from "@/lib/dal/token-test";

/** Read-only (viewers may use it too): verifies, explains, stores nothing. */
export const testIdentityAction = communityAction(
  z.object({ input: z.string().trim().min(1, "Paste a JWT or a JSON identity").max(70_000, "At most 64 KiB") }),
  async (slug, { input }) => ({ ok: true, data: await testIdentityInput(slug, input) }),
);
