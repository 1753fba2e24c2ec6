import type { Metadata } from "next";
import { ERROR_MESSAGE, ERROR_STATUS, type ErrorCode } from "@vouch/core/identity/codes";
import { openApiDocument } from "@vouch/core/identity/contract";
import { ALGORITHM_LIST } from "@vouch/core/identity/vocabulary";
import { TryIt } from "@/components/docs/try-it";
import { AdminApiReference } from "@/components/docs/admin-api-reference";

export const metadata: Metadata = { title: "API reference" };

/** Public reference for integrators: generated from the same zod schemas as the route. */
export default function ApiReferencePage() {
  const doc = openApiDocument("");
  const schemas = doc.components.schemas;
  return (
    <main className="mx-auto flex max-w-4xl flex-col gap-6 px-4 py-8">
      <header>
        <p className="text-sm font-semibold tracking-wide text-brand-700">VOUCH</p>
        <h1 className="text-2xl font-semibold">Identity route API</h1>
        <p className="mt-2 text-sm text-slate-700">{doc.info.description}</p>
        <p className="mt-2 text-sm">
          Machine-readable:{" "}
          <a className="text-brand-700 underline" href="/api/v1/openapi.json">
            OpenAPI 3.1 document
          </a>
          .
        </p>
      </header>
      <section aria-labelledby="op-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="op-heading" className="font-mono text-lg font-semibold">
          POST /api/v1/communities/{"{slug}"}/identity
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          <code>Content-Type: application/json</code>, body at most 64 KiB, token at most 8 KiB. Cross-origin calls are
          accepted from the community&apos;s allowed origins (preflight answered); calls without an Origin header are
          accepted from anywhere.
        </p>
        <h3 className="mt-4 font-semibold">Signed identities</h3>
        <ul className="mt-1 flex list-disc flex-col gap-1 pl-5 text-sm text-slate-700">
          <li>
            A compact JWS whose header names <code>alg</code> and <code>kid</code> (<code>typ</code> JWT when present):{" "}
            <code>{ALGORITHM_LIST}</code> only, and equal to the algorithm of the key <code>kid</code> names.
          </li>
          <li>
            Keys: the community&apos;s configured keys — an HS256 secret, or a PEM public key for RS256 (RSA ≥ 2048
            bits), ES256 (P-256) or EdDSA (Ed25519) — and, when it names one, the keys its website publishes at a JWKS
            URL (a configured key wins over a published key with the same kid).
          </li>
          <li>
            A configured key may expire: from that instant tokens naming it get <code>401 key_expired</code>. A kid no
            configured key has, while the JWKS URL has no usable keyset, gets <code>503 keyset_unavailable</code> (retry
            later). A newly published kid is picked up by one refetch, at most once a minute.
          </li>
          <li>
            Claims: <code>uuid</code> (required), the attributes below, <code>extra_values</code>, and <code>exp</code>{" "}
            at least one hour ahead.
          </li>
        </ul>
        <h3 className="mt-4 font-semibold">Request body</h3>
        <pre
          tabIndex={0}
          aria-label="Request body schema"
          className="mt-1 max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs"
        >
          {JSON.stringify(schemas.IdentityRequest, null, 2)}
        </pre>
        <h3 className="mt-4 font-semibold">200 response</h3>
        <pre
          tabIndex={0}
          aria-label="200 response schema"
          className="mt-1 max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs"
        >
          {JSON.stringify(schemas.IdentityResponse, null, 2)}
        </pre>
        <h3 className="mt-4 font-semibold">Errors</h3>
        <p className="text-sm text-slate-700">
          Body: <code>{'{ "error": { "code", "message" } }'}</code>. The code is the contract; the message is for
          humans.
        </p>
        <table className="mt-2 w-full border-collapse text-left text-sm">
          <caption className="sr-only">Error codes</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-2 py-1">
                Status
              </th>
              <th scope="col" className="px-2 py-1">
                Code
              </th>
              <th scope="col" className="px-2 py-1">
                Meaning
              </th>
            </tr>
          </thead>
          <tbody>
            {(Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => (
              <tr key={code} className="border-t border-slate-200">
                <td className="px-2 py-1">{ERROR_STATUS[code]}</td>
                <td className="px-2 py-1 font-mono">{code}</td>
                <td className="px-2 py-1">{ERROR_MESSAGE[code]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="try-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="try-heading" className="mb-3 text-lg font-semibold">
          Try it
        </h2>
        <TryIt />
      </section>
      <AdminApiReference />
    </main>
  );
}
