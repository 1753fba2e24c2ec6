"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, communityAction } from "@/lib/next/action";
import { updateSignedIdentitySettings, updateTokenPolicy } from "@vouch/core/dal/identity-settings";
import { describeRevocation, revokeCommunityTokens } from "@vouch/core/dal/revocations";
import { addJwtKey, deleteJwtKey, generateHmacSecret, setJwtKeyExpiry } from "@vouch/core/dal/jwt-keys";
import { signedIdentitySettingsSchema, tokenPolicyFormSchema } from "@vouch/core/validations/community-settings";
import { jwksUrlFormSchema, jwtKeyCreateSchema, jwtKeyExpirySchema, kidSchema } from "@vouch/core/validations/jwt-key";
import { refreshJwks, setJwksUrl } from "@vouch/core/dal/jwks-url";

const refresh = (slug: string) => revalidatePath(`/communities/${slug}`, "layout");

export const updateSignedIdentitiesAction = communityAction(
  signedIdentitySettingsSchema,
  async (slug, input, actor) => {
    const saved = await updateSignedIdentitySettings(actor, slug, input);
    refresh(slug);
    return {
      ok: true,
      data: saved,
      message: `Saved: signed identities are now “${saved.signed_identities}”, leeway ${saved.clock_skew_seconds} s.`,
    };
  },
);

export const updateTokenPolicyAction = communityAction(tokenPolicyFormSchema, async (slug, input, actor) => {
  const saved = await updateTokenPolicy(actor, slug, input);
  refresh(slug);
  return { ok: true, data: saved, message: "Token policy saved: it applies to the next token verified." };
});

/** "Revoke all tokens" (docs/reference.md, revocation): every token issued before now is refused. */
export const revokeCommunityTokensAction = communityAction(z.object({}), async (slug, _input, actor) => {
  const revoked = await revokeCommunityTokens(actor, slug);
  refresh(slug);
  return { ok: true, data: null, message: describeRevocation(revoked) };
});

export const addJwtKeyAction = communityAction(jwtKeyCreateSchema, async (slug, input, actor) => {
  const key = await addJwtKey(actor, slug, input);
  refresh(slug);
  // The HMAC secret is returned once, to the admin who just entered or generated it; never again.
  return {
    ok: true,
    data: {
      kid: key.kid,
      algorithm: key.algorithm,
      secret: input.algorithm === "HS256" ? input.secret : null,
      fingerprint: key.fingerprint,
    },
    message: `Key “${key.kid}” added.`,
  };
});

export const deleteJwtKeyAction = communityAction(z.object({ kid: kidSchema }), async (slug, input, actor) => {
  await deleteJwtKey(actor, slug, input.kid);
  refresh(slug);
  return { ok: true, data: null, message: `Key “${input.kid}” deleted.` };
});

export const setJwtKeyExpiryAction = communityAction(jwtKeyExpirySchema, async (slug, input, actor) => {
  const key = await setJwtKeyExpiry(actor, slug, input);
  refresh(slug);
  const when = key.expiresAt
    ? `expires ${key.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`
    : "never expires";
  return { ok: true, data: { expiresAt: key.expiresAt?.toISOString() ?? null }, message: `Key “${key.kid}” ${when}.` };
});

export const setJwksUrlAction = communityAction(jwksUrlFormSchema, async (slug, input, actor) => {
  const url = await setJwksUrl(actor, slug, input);
  refresh(slug);
  return {
    ok: true,
    data: { jwks_url: url ?? "" },
    message: url ? "JWKS URL saved: its keys verify signed identities now." : "JWKS URL removed.",
  };
});

export const refreshJwksAction = communityAction(z.object({}), async (slug, _input, actor) => {
  const status = await refreshJwks(actor, slug);
  refresh(slug);
  return status.lastError
    ? { ok: false, formError: `The fetch failed: ${status.lastError.message}` }
    : {
        ok: true,
        data: null,
        message: `Fetched: ${status.keys.length} usable key${status.keys.length === 1 ? "" : "s"}.`,
      };
});

/** An HMAC secret in the format docs/reference.md requires, for the add-key form (the data layer checks the role). */
export const generateHmacSecretAction = authedAction(z.object({}), async (_input, actor) => {
  return { ok: true, data: { secret: generateHmacSecret(actor) } };
});
