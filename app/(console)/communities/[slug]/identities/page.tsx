import type { Metadata } from "next";
import Link from "next/link";
import { listIdentityPage } from "@vouch/core/dal/identities";
import { countLogEntriesFor } from "@vouch/core/dal/telemetry-queries";
import { uuidSchema } from "@vouch/core/identity/data";
import { identitySearchParams, identitySearchSchema } from "@vouch/core/validations/identity-search";
import type { DomainError } from "@vouch/core/errors";
import { requireCommunityPage } from "@/lib/next/session";
import { firstValues, type SearchParams } from "@/lib/next/search-params";
import { EmptyState } from "@/components/ui/empty-state";
import { IdentityCard } from "@/components/identities/identity-card";

export const metadata: Metadata = { title: "Identities" };

const input = "rounded-md border border-slate-300 bg-white px-2 py-1";

export default async function IdentitiesPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: SearchParams;
}) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const raw = await firstValues(searchParams);
  const parsed = identitySearchSchema.safeParse(raw);
  const query = parsed.success ? parsed.data : identitySearchSchema.parse({});
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  const page = await listIdentityPage(actor, community.slug, query).catch((err: unknown) => {
    // A cursor this list did not hand out (edited by hand): say so and show the first page.
    if (err instanceof Error && (err as DomainError).code === "invalid") {
      problems.push(err.message);
      return listIdentityPage(actor, community.slug, { ...query, cursor: undefined });
    }
    throw err;
  });
  const base = `/communities/${community.slug}/identities`;
  const link = (extra: { cursor?: string }) => {
    const s = identitySearchParams({ ...query, cursor: extra.cursor }).toString();
    return s ? `${base}?${s}` : base;
  };
  const searching = Boolean(query.q) || query.verified != null;
  // No identity, but maybe refusals recorded for that exact uuid: its page offers to erase them.
  const refusedOnly =
    query.q && page.identities.length === 0 && uuidSchema.safeParse(query.q).success
      ? await countLogEntriesFor(actor, community.id, query.q)
      : 0;
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Identities</h2>
      <p className="text-sm text-slate-600">
        Visitor identities as agents see them, most recently updated first. <strong>Verified</strong> identities came
        from a valid signed token; unsigned data can no longer change them. Open one to export it as JSON or to erase
        it.
      </p>
      <form
        method="get"
        action={base}
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Search identities"
      >
        <label className="flex flex-col gap-1">
          Search
          <input
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={200}
            placeholder="uuid, e-mail or name"
            aria-describedby="identity-search-help"
            className={`${input} w-72`}
          />
        </label>
        <label className="flex flex-col gap-1">
          Verified
          <select name="verified" defaultValue={query.verified == null ? "" : String(query.verified)} className={input}>
            <option value="">any</option>
            <option value="true">verified</option>
            <option value="false">unverified</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 font-medium text-white">
          Search
        </button>
        {searching && (
          <Link href={base} className="py-1.5 text-brand-700 underline">
            Clear
          </Link>
        )}
        <p id="identity-search-help" className="w-full text-xs text-slate-600">
          A whole uuid, or the start of an e-mail or of a name (first and last name, else the screen name); any case.
        </p>
      </form>
      {problems.length > 0 && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-900">
          {problems.join(" ")}
        </p>
      )}
      {page.identities.length === 0 ? (
        <EmptyState>
          {searching
            ? "No identity matches this search."
            : "No identities yet: they appear when the widget calls the identity route."}
          {refusedOnly > 0 && (
            <>
              {" "}
              <Link href={`${base}/${encodeURIComponent(query.q!)}`} className="text-brand-700 underline">
                {refusedOnly} refused {refusedOnly === 1 ? "request" : "requests"} named this uuid
              </Link>
              .
            </>
          )}
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Identities">
          {page.identities.map((i) => (
            <li key={i.uuid} aria-label={`Identity ${i.uuid}`}>
              <IdentityCard
                identity={i}
                title={
                  <Link
                    href={`${base}/${encodeURIComponent(i.uuid)}`}
                    className="font-mono font-semibold text-brand-700 underline"
                  >
                    {i.uuid}
                  </Link>
                }
              />
            </li>
          ))}
        </ul>
      )}
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {query.cursor && (
          <Link href={link({})} className="text-brand-700 underline">
            ← Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link href={link({ cursor: page.nextCursor })} className="text-brand-700 underline">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
