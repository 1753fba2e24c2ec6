import type { Metadata } from "next";
import { DeleteCommunityButton } from "@/components/communities/delete-community-button";
import { RenameCommunityForm } from "@/components/communities/rename-community-form";
import { canManage } from "@vouch/core/authz";
import { AllowedOriginsForm } from "@/components/communities/allowed-origins-form";
import { NumberSettingForm } from "@/components/communities/number-setting-form";
import { identityRoute, publicOrigin } from "@/lib/next/public-url";
import { requireCommunityPage } from "@/lib/next/session";
import Link from "next/link";
import { keyHealth } from "@vouch/core/identity/key-health";
import { outcomeSummary } from "@vouch/core/dal/telemetry-queries";
import { buckets, OutcomeChart, TopRefusals, verifiedShare } from "@/components/insight/outcome-chart";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { slug } = await params;
  return { title: slug };
}

export default async function CommunityPage({ params }: Params) {
  const { actor, community } = await requireCommunityPage((await params).slug);
  const now = new Date();
  const [origin, day, week] = await Promise.all([
    publicOrigin(),
    outcomeSummary(actor, community.id, 24, now),
    outcomeSummary(actor, community.id, 7 * 24, now),
  ]);
  const hourLabel = (d: Date) => `${d.toISOString().slice(11, 13)}:00`;
  const dayLabel = (d: Date) => `from ${d.toISOString().slice(0, 13).replace("T", " ")}:00`;
  const share = verifiedShare(week);
  const allowedOrigins = community.allowedOrigins;
  const admin = canManage(actor);
  const health = keyHealth(community.keys);
  const attention = community.keys.flatMap((k) => {
    const h = health.get(k.kid);
    return h && h.state !== "ok" ? [{ kid: k.kid, ...h }] : [];
  });
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h2 className="text-lg font-semibold">Overview</h2>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-slate-600">Identifier</dt>
          <dd className="font-mono">{community.slug}</dd>
          <dt className="text-slate-600">Identity route</dt>
          <dd className="break-all font-mono text-xs">POST {identityRoute(origin, community.slug)}</dd>
          <dt className="text-slate-600">Created</dt>
          <dd>
            <time dateTime={community.createdAt.toISOString()}>
              {community.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
            </time>
          </dd>
        </dl>
      </div>
      <section aria-labelledby="rollout-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="rollout-heading" className="mb-1 text-lg font-semibold">
          Identities
        </h2>
        <p className="mb-3 text-sm text-slate-700">
          {share
            ? `Verified among accepted identities, last 7 days: ${share} (${week.acceptedVerified} of ${week.acceptedVerified + week.acceptedUnsigned}).`
            : "No identity accepted in the last 7 days."}{" "}
          Counts are written every few seconds (UTC).
        </p>
        <div className="grid gap-6 md:grid-cols-2">
          <OutcomeChart title="Last 24 hours, per hour" data={buckets(day, now, 24, 1, hourLabel)} />
          <OutcomeChart title="Last 7 days, per day" data={buckets(week, now, 7, 24, dayLabel)} />
        </div>
        <h3 className="mb-1 mt-4 font-medium">Most frequent refusals, last 7 days</h3>
        <TopRefusals slug={community.slug} summary={week} />
      </section>
      {attention.length > 0 && (
        <section
          aria-labelledby="attention-heading"
          className="rounded-lg border border-amber-300 bg-amber-50 p-5 shadow-sm"
        >
          <h2 id="attention-heading" className="mb-2 text-lg font-semibold">
            Keys that need attention
          </h2>
          <ul className="flex list-disc flex-col gap-1 pl-5 text-sm">
            {attention.map((a) => (
              <li key={a.kid}>
                <span className="font-mono">{a.kid}</span>: {a.message}
              </li>
            ))}
          </ul>
          <Link
            href={`/communities/${community.slug}/signed-identities`}
            className="mt-2 inline-block text-sm underline"
          >
            Manage keys
          </Link>
        </section>
      )}
      <section aria-labelledby="access-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="access-heading" className="mb-2 text-lg font-semibold">
          Widget access
        </h2>
        {admin ? (
          <AllowedOriginsForm slug={community.slug} origins={allowedOrigins} />
        ) : (
          <p className="text-sm">Allowed origins: {allowedOrigins.length ? allowedOrigins.join(", ") : "none"}</p>
        )}
      </section>
      <section aria-labelledby="limits-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="limits-heading" className="mb-2 text-lg font-semibold">
          Rate limit
        </h2>
        {admin ? (
          <NumberSettingForm
            slug={community.slug}
            setting="rate_limit_per_minute"
            value={community.rateLimitPerMinute}
          />
        ) : (
          <p className="text-sm">
            Identity calls per minute per visitor address:{" "}
            {community.rateLimitPerMinute ? community.rateLimitPerMinute.toLocaleString("en") : "no limit"}
          </p>
        )}
      </section>
      <section
        aria-labelledby="retention-heading"
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="retention-heading" className="mb-2 text-lg font-semibold">
          Data retention
        </h2>
        {admin ? (
          <NumberSettingForm
            slug={community.slug}
            setting="identity_retention_days"
            value={community.identityRetentionDays}
          />
        ) : (
          <p className="text-sm">Identities are kept {community.identityRetentionDays} days after their last update.</p>
        )}
      </section>
      {admin ? (
        <>
          <section
            aria-labelledby="rename-heading"
            className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
          >
            <h2 id="rename-heading" className="text-lg font-semibold">
              Name
            </h2>
            <RenameCommunityForm slug={community.slug} name={community.name} />
          </section>
          <section aria-labelledby="danger-heading" className="rounded-lg border border-red-200 bg-white p-5 shadow-sm">
            <h2 id="danger-heading" className="text-lg font-semibold text-red-800">
              Delete community
            </h2>
            <p className="mb-3 mt-1 text-sm text-slate-700">
              Deleting removes its whole configuration. Widgets calling its identity route get “community not found”.
            </p>
            <DeleteCommunityButton slug={community.slug} name={community.name} />
          </section>
        </>
      ) : (
        <p className="text-sm text-slate-600">You have read-only access.</p>
      )}
    </div>
  );
}
