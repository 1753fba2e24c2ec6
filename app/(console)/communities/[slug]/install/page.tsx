import type { Metadata } from "next";
import Link from "next/link";
import { InstallSnippet } from "@/components/widget/install-snippet";
import { publicOrigin } from "@/lib/next/public-url";
import { requireCommunityPage } from "@/lib/next/session";
import { ATTRIBUTES } from "@vouch/core/identity/vocabulary";

export const metadata: Metadata = { title: "Install the widget" };

const COMMANDS: [string, string][] = [
  [
    '["init", { community }]',
    "Which community the visitor belongs to. Also: launcher (false hides the button), refreshBefore (seconds before exp to ask for a fresh token, default 300), anonymous (false: no call until you set an identity).",
  ],
  [
    '["setIdentity", { … }]',
    `Unsigned visitor data: ${ATTRIBUTES.join(", ")}, extra_values. Without a uuid the browser's automated ID is used.`,
  ],
  [
    '["setSignedIdentity", jwt]',
    "A JWT your server signed with one of this community's keys. The token stays in memory, never in storage.",
  ],
  [
    '["onTokenRefresh", fn]',
    "fn returns a fresh JWT (or a Promise of one); called before the current token's exp. Without a fresh token the visitor sees “Your session has expired. Please refresh the page.”",
  ],
  [
    '["onChange", fn]',
    "fn(state) now and on every change: status (anonymous, identified, verified, expired, error), uuid, fields, expiresAt, error.",
  ],
  ['["logout"]', "Back to the browser's anonymous identity (call it when your visitor signs out)."],
];

export default async function InstallPage({ params }: { params: Promise<{ slug: string }> }) {
  const { community: settings } = await requireCommunityPage((await params).slug);
  const { slug } = settings;
  const origin = await publicOrigin();
  const mode = settings.signedIdentities;
  const hs = settings.keys.filter((k) => k.algorithm === "HS256");
  const pk = settings.keys.find((k) => k.algorithm !== "HS256");
  const pkAlg = pk?.algorithm ?? "RS256";
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="check-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="check-heading" className="mb-2 text-lg font-semibold">
          Before you install
        </h2>
        <ul className="flex list-disc flex-col gap-1 pl-5 text-sm">
          <li>
            Allowed origins:{" "}
            {settings.allowedOrigins.length ? (
              <span className="font-mono">{settings.allowedOrigins.join(", ")}</span>
            ) : (
              <strong>none yet</strong>
            )}
            . Browsers may call the identity route only from these; add your website&apos;s origin on the{" "}
            <Link href={`/communities/${slug}`} className="text-brand-700 underline">
              overview
            </Link>
            .
          </li>
          <li>
            Signed identities: <strong>{mode}</strong>
            {mode === "require"
              ? " — every visitor needs a JWT from your server: use the signed snippet."
              : mode === "accept"
                ? " — signed visitors are verified, others are accepted unverified."
                : " — signed identities are refused: use the unsigned or anonymous snippet."}{" "}
            {settings.keys.length} key{settings.keys.length === 1 ? "" : "s"}
            {settings.keys.length > 0 && ` (${[...new Set(settings.keys.map((k) => k.algorithm))].join(", ")})`}: see{" "}
            <Link href={`/communities/${slug}/signed-identities`} className="text-brand-700 underline">
              signed identities
            </Link>{" "}
            for signing code per key, or to name the JWKS URL where your website publishes its keys. A key may carry an
            expiry date: from then on its tokens are refused (<code>key_expired</code>), so sign with a newer key before
            it.
          </li>
        </ul>
      </section>

      <section aria-labelledby="snippet-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="snippet-heading" className="mb-1 text-lg font-semibold">
          Integration snippet
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Paste it before <code>&lt;/body&gt;</code> on every page with chat. Calls pushed to <code>_chatq</code> before
          the script has loaded are kept and run in order.
        </p>
        <InstallSnippet origin={origin} slug={slug} initial={mode === "reject" ? "unsigned" : "signed"} />
      </section>

      <section aria-labelledby="commands-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="commands-heading" className="mb-2 text-lg font-semibold">
          Widget commands
        </h2>
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-1 pr-4 font-medium">
                Command
              </th>
              <th scope="col" className="py-1 font-medium">
                What it does
              </th>
            </tr>
          </thead>
          <tbody>
            {COMMANDS.map(([cmd, text]) => (
              <tr key={cmd} className="border-b border-slate-100 align-top">
                <td className="whitespace-nowrap py-2 pr-4 font-mono text-xs">{cmd}</td>
                <td className="py-2">{text}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-3 text-sm text-slate-600">
          Refusals are written to the page&apos;s console as <code>[Vouch] code: message</code> and to the verification
          log.
        </p>
        <p className="mt-1 text-sm text-slate-600">
          With a Content-Security-Policy, allow <code>{origin}</code> in <code>script-src</code> (the widget) and{" "}
          <code>connect-src</code> (its calls); it needs no inline styles and no <code>eval</code>.
        </p>
      </section>

      <section aria-labelledby="demo-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="demo-heading" className="mb-1 text-lg font-semibold">
          Try it with the demo shop
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          A fake shop on its own origin (<code>http://127.0.0.1:4000</code>; add it to the allowed origins) that signs
          its customers&apos; tokens on its server and hands them to the widget. Run it from a Vouch checkout:
        </p>
        <pre
          tabIndex={0}
          aria-label="Demo shop commands"
          className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"
        >
          {[
            hs[0]
              ? `# HS256: the secret shown once when the key ${hs[0].kid} was generated\nVOUCH_DEMO_SECRET=<secret> npm run demo -- --vouch ${origin} --community ${slug} --kid ${hs[0].kid}`
              : null,
            `# ${pkAlg} (or --alg RS256, ES256, EdDSA): a new key pair; add the printed public key as a ${pkAlg} key named ${pk?.kid ?? "demo_key"}\nnpm run demo -- keygen --alg ${pkAlg} --out demo-key.pem\nnpm run demo -- --vouch ${origin} --community ${slug} --kid ${pk?.kid ?? "demo_key"} --private-key demo-key.pem`,
            `# Its own published keyset: set this community's JWKS URL to http://127.0.0.1:4000/.well-known/jwks.json\n# (a Vouch on this machine needs VOUCH_ALLOW_PRIVATE_URLS=1 to fetch from 127.0.0.1), then rotate keylessly\nnpm run demo -- --vouch ${origin} --community ${slug} --jwks demo-jwks.json\nnpm run demo -- rotate --jwks demo-jwks.json`,
            `# Unsigned identities (modes reject and accept)\nnpm run demo -- --vouch ${origin} --community ${slug}`,
          ]
            .filter(Boolean)
            .join("\n\n")}
        </pre>
      </section>
    </div>
  );
}
