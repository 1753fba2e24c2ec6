import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { canManage } from "@vouch/core/authz";
import { getIdentity, identityDocument } from "@vouch/core/dal/identities";
import { countLogEntriesFor } from "@vouch/core/dal/telemetry-queries";
import { requireCommunityPage } from "@/lib/next/session";
import { IdentityCard } from "@/components/identities/identity-card";
import { ExportIdentityButton } from "@/components/identities/export-button";
import { EraseIdentityButton } from "@/components/identities/erase-button";
import { RevokeIdentityButton } from "@/components/identities/revoke-button";

export const metadata: Metadata = { title: "Identity" };

export default async function IdentityPage({ params }: { params: Promise<{ slug: string; uuid: string }> }) {
  const { slug, uuid: raw } = await params;
  const { actor, community } = await requireCommunityPage(slug);
  let uuid: string;
  try {
    uuid = decodeURIComponent(raw);
  } catch {
    notFound(); // a broken %-escape names no identity
  }
  const identity = await getIdentity(actor, community.slug, uuid).catch((err: unknown) => {
    if ((err as { code?: string }).code === "not_found") return null;
    throw err;
  });
  const base = `/communities/${community.slug}/identities`;
  const page = (heading: string, body: React.ReactNode) => (
    <div className="flex flex-col gap-3">
      <p className="text-sm">
        <Link href={base} className="text-brand-700 underline">
          ← Identities
        </Link>
      </p>
      <h2 className="text-lg font-semibold">
        {heading} <code className="break-all">{uuid}</code>
      </h2>
      {body}
    </div>
  );
  if (!identity) {
    // A uuid that was only ever refused: no identity, but log entries that erasure deletes all the same.
    const entries = await countLogEntriesFor(actor, community.id, uuid);
    if (entries === 0) notFound();
    return page(
      "Uuid",
      <>
        <p className="text-sm">
          No identity is stored for this uuid: every request naming it was refused.{" "}
          <Link href={`/communities/${community.slug}/verification-log`} className="text-brand-700 underline">
            {entries} verification-log {entries === 1 ? "entry was" : "entries were"} recorded for it
          </Link>
          .
        </p>
        {canManage(actor) && (
          <div>
            <EraseIdentityButton slug={community.slug} uuid={uuid} stored={false} then={base} />
          </div>
        )}
      </>,
    );
  }
  const fileName = `identity-${community.slug}-${uuid.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80)}.json`;
  return page(
    "Identity",
    <>
      <IdentityCard identity={identity} />
      <p className="text-xs text-slate-600">
        Created {identity.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC · data last changed{" "}
        {identity.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC · last seen{" "}
        {identity.lastSeenAt.toISOString().slice(0, 16).replace("T", " ")} UTC (refreshed every 10 minutes at most)
      </p>
      <div className="flex flex-wrap gap-2">
        <ExportIdentityButton fileName={fileName} document={identityDocument(identity)} />
        {canManage(actor) && <RevokeIdentityButton slug={community.slug} uuid={identity.uuid} />}
        {canManage(actor) && <EraseIdentityButton slug={community.slug} uuid={identity.uuid} stored then={base} />}
      </div>
    </>,
  );
}
