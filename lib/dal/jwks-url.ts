// A community's JWKS URL (docs/reference.md): saving one checks it (https, public addresses, after DNS) and
// fetches it first, refusing it with the reason when no usable key comes back; "fetch now"; and what
// this instance knows of the keyset, for the console.
import { db } from "../db";
import { canManage, type Actor } from "../authz";
import { DomainError, forbidden } from "../errors";
import { fetchKeysetNow, jwksOptions, keysetState } from "../jwks/cache";
import { checkJwksUrl, JwksError } from "../jwks/fetch";
import type { PublicKeyAlgorithm } from "../identity/vocabulary";
import { jwksUrlFormSchema, type JwksUrlFormInput } from "../validations/jwt-key";
import { assertReader } from "./access";
import { changeCommunity, type ChangeActor } from "./community-change";
import { communityIdOf } from "./communities";
import { invalidateRuntimeConfig } from "./runtime-config";

export interface KeysetStatusDto {
  url: string;
  fetchedAt: Date | null;
  keys: { kid: string; algorithm: PublicKeyAlgorithm; fingerprint: string; shadowed: boolean }[];
  ignored: { kid: string | null; reason: string }[];
  lastError: { at: Date; message: string } | null;
}

/** Checks and fetches `url` for the community; throws a field error naming why it cannot be used. */
async function usableKeyset(id: string, url: string) {
  try {
    await checkJwksUrl(url, jwksOptions());
  } catch (err) {
    if (err instanceof JwksError) throw new DomainError("invalid", err.message, "jwks_url");
    throw err;
  }
  const st = await fetchKeysetNow(id, url);
  if (st.lastError || st.fetchedAt === null) {
    throw new DomainError("invalid", `Not saved: ${st.lastError?.message ?? "no keyset came back"}`, "jwks_url");
  }
  return st;
}

export async function setJwksUrl(actor: ChangeActor, slug: string, raw: JwksUrlFormInput): Promise<string | null> {
  if (actor && !canManage(actor)) throw forbidden("change the JWKS URL"); // before any fetch it would cause
  const { jwks_url: url } = jwksUrlFormSchema.parse(raw);
  if (url) await usableKeyset(await communityIdOf(slug), url);
  return changeCommunity(actor, slug, "change the JWKS URL", async (tx, community) => {
    if (community.jwksUrl === url) return { result: url, unchanged: true as const };
    if (
      !url &&
      community.signedIdentities !== "reject" &&
      (await tx.jwtKey.count({ where: { communityId: community.id } })) === 0
    ) {
      throw new DomainError(
        "conflict",
        `“${community.signedIdentities}” needs a key: add a JWT key before removing the JWKS URL, or change the mode`,
        "jwks_url",
      );
    }
    await tx.community.update({ where: { id: community.id }, data: { jwksUrl: url } });
    invalidateRuntimeConfig(slug);
    return { result: url, action: "community.jwks_url", details: { jwks_url: { from: community.jwksUrl, to: url } } };
  });
}

/** "Fetch now" (administrators: it makes Vouch fetch a URL). */
export async function refreshJwks(actor: ChangeActor, slug: string): Promise<KeysetStatusDto> {
  if (actor && !canManage(actor)) throw forbidden("fetch the JWKS URL");
  const c = await db().community.findUnique({ where: { slug }, select: { id: true, jwksUrl: true } });
  if (!c) throw new DomainError("not_found", "This community no longer exists");
  if (!c.jwksUrl) throw new DomainError("invalid", "This community has no JWKS URL");
  await fetchKeysetNow(c.id, c.jwksUrl);
  return (await jwksStatus(actor, slug))!;
}

/**
 * What this instance knows of the keyset (null without a URL); a published kid that a configured key
 * also uses is shadowed (the configured key wins).
 */
export async function jwksStatus(actor: Actor | null, slug: string): Promise<KeysetStatusDto | null> {
  assertReader(actor);
  const c = await db().community.findUnique({
    where: { slug },
    select: { id: true, jwksUrl: true, jwtKeys: { select: { kid: true } } },
  });
  if (!c?.jwksUrl) return null;
  const st = keysetState(c.id, c.jwksUrl);
  const configured = new Set(c.jwtKeys.map((k) => k.kid));
  return {
    url: c.jwksUrl,
    fetchedAt: st?.fetchedAt ? new Date(st.fetchedAt) : null,
    keys: [...(st?.keys.values() ?? [])].map((k) => ({
      kid: k.kid,
      algorithm: k.algorithm,
      fingerprint: k.fingerprint,
      shadowed: configured.has(k.kid),
    })),
    ignored: st?.ignored ?? [],
    lastError: st?.lastError ? { at: new Date(st.lastError.at), message: st.lastError.message } : null,
  };
}
