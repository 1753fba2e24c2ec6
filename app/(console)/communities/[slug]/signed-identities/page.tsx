import type { Metadata } from "next";
import { AddKeyForm } from "@/components/identity/add-key-form";
import { KeyTable } from "@/components/identity/key-table";
import { ModeForm } from "@/components/identity/mode-form";
import { MODE_TEXT } from "@/components/identity/mode-text";
import { canManage } from "@vouch/core/authz";
import { keyUseLast24h, outcomeSummary } from "@vouch/core/dal/telemetry-queries";
import { HowToSign } from "@/components/identity/how-to-sign";
import { identityRoute, publicOrigin } from "@/lib/next/public-url";
import { requireCommunityPage } from "@/lib/next/session";
import { keyHealth } from "@vouch/core/identity/key-health";
import { jwksStatus } from "@vouch/core/dal/jwks-url";
import { JwksSection } from "@/components/identity/jwks-section";
import { TokenPolicyForm } from "@/components/identity/token-policy-form";
import { RevokeAllTokensButton } from "@/components/identity/revoke-all-button";
import { countVerifiedIdentities } from "@vouch/core/dal/identities";

export const metadata: Metadata = { title: "Signed identities" };

export default async function SignedIdentitiesPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community: settings } = await requireCommunityPage((await params).slug);
  const { slug } = settings;
  const admin = canManage(actor);
  const renderedAt = new Date().getTime();
  const health = keyHealth(settings.keys, new Date(renderedAt));
  const [uses, origin, keyset, lastWeek, verified] = await Promise.all([
    keyUseLast24h(
      actor,
      settings.keys.map((k) => k.id),
    ),
    publicOrigin(),
    jwksStatus(actor, slug),
    outcomeSummary(actor, settings.id, 7 * 24),
    countVerifiedIdentities(actor, settings.id),
  ]);
  const policy = settings.tokenPolicy;
  const keys = settings.keys.map((k) => ({
    uses24h: uses.get(k.id) ?? 0,
    kid: k.kid,
    algorithm: k.algorithm,
    maskedSecret: k.maskedSecret,
    fingerprint: k.fingerprint,
    keyBits: k.keyBits,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    health: health.get(k.kid) ?? { state: "ok" as const },
  }));
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="mode-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="mode-heading" className="mb-1 text-lg font-semibold">
          Signed identities
        </h2>
        <p className="mb-4 text-sm text-slate-600">
          Visitor data travels from your website through the visitor&apos;s browser, where it can be edited. Only a JWT
          signed by your website&apos;s backend proves it was not.
        </p>
        {admin ? (
          <ModeForm
            slug={slug}
            mode={settings.signedIdentities}
            clockSkewSeconds={settings.clockSkewSeconds}
            keyCount={keys.length}
            lastWeek={{ verified: lastWeek.acceptedVerified, unsigned: lastWeek.acceptedUnsigned }}
          />
        ) : (
          <dl className="text-sm">
            <dt className="font-medium">Mode</dt>
            <dd>
              {MODE_TEXT[settings.signedIdentities].title} (<code>{settings.signedIdentities}</code>)
            </dd>
            <dt className="mt-2 font-medium">Clock skew leeway</dt>
            <dd>{settings.clockSkewSeconds} s</dd>
          </dl>
        )}
      </section>
      <section aria-labelledby="policy-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="policy-heading" className="mb-1 text-lg font-semibold">
          Token policy
        </h2>
        <p className="mb-4 text-sm text-slate-600">
          Whom a token must be made for, and how long it may live: a token made for another site, or leaked and replayed
          for months, is refused. Empty fields are not checked.
        </p>
        {settings.jwksUrl && !policy.expected_audience && (
          <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            This community trusts a published keyset but expects no audience: every community that trusts the same
            keyset accepts the same tokens, so a token made for one of them can be replayed here. Set an expected
            audience and have your website put it in <code>aud</code>.
          </p>
        )}
        {admin ? (
          <TokenPolicyForm slug={slug} policy={policy} />
        ) : (
          <dl className="text-sm">
            <dt className="font-medium">Expected issuer</dt>
            <dd>{policy.expected_issuer ?? "any"}</dd>
            <dt className="mt-2 font-medium">Expected audience</dt>
            <dd>{policy.expected_audience ?? "any"}</dd>
            <dt className="mt-2 font-medium">Longest token lifetime</dt>
            <dd>{policy.max_token_lifetime_minutes ? `${policy.max_token_lifetime_minutes} min` : "no cap"}</dd>
          </dl>
        )}
      </section>
      <section aria-labelledby="keys-heading" className="flex flex-col gap-3">
        <h2 id="keys-heading" className="text-lg font-semibold">
          JWT keys
        </h2>
        <p className="text-sm text-slate-600">
          Several keys can be active at once, so you can rotate without downtime: add the new key, switch your website
          to it, and remove the old key once it is no longer used.
        </p>
        <KeyTable slug={slug} keys={keys} editable={admin} mode={settings.signedIdentities} now={renderedAt} />
      </section>
      <section aria-labelledby="jwks-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="jwks-heading" className="mb-1 text-lg font-semibold">
          Published keyset (JWKS URL)
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Instead of pasting public keys, name the address where your website publishes them: it rotates keys by
          publishing a new one, with no change here. Configured keys win over published ones with the same kid.
        </p>
        <JwksSection slug={slug} url={settings.jwksUrl} status={keyset} editable={admin} />
      </section>
      {keys.length > 0 && (
        <section aria-labelledby="how-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="how-heading" className="mb-1 text-lg font-semibold">
            How to sign identities
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            Your website&apos;s backend mints a token per visitor and hands it to the widget. Keep the secret or private
            key on the server; never send it to the browser.
          </p>
          <HowToSign
            keys={keys.map((k) => ({ kid: k.kid, algorithm: k.algorithm }))}
            route={identityRoute(origin, slug)}
            policy={policy}
          />
        </section>
      )}
      <section aria-labelledby="revoke-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="revoke-heading" className="mb-1 text-lg font-semibold">
          Revoke tokens
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          {settings.tokensRevokedAt
            ? `Every token issued before ${settings.tokensRevokedAt.toISOString().slice(0, 19).replace("T", " ")} UTC is refused (token_revoked).`
            : "No tokens of this community were revoked."}{" "}
          To sign one visitor out everywhere, open their identity.
        </p>
        {admin && <RevokeAllTokensButton slug={slug} verified={verified} />}
      </section>
      {admin && (
        <section
          aria-labelledby="add-key-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="add-key-heading" className="mb-3 text-lg font-semibold">
            Add a key
          </h2>
          <AddKeyForm slug={slug} />
        </section>
      )}
    </div>
  );
}
