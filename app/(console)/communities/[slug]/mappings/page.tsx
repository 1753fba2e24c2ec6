import type { Metadata } from "next";
import { MappingsEditor } from "@/components/identity/mappings-editor";
import { canManage } from "@vouch/core/authz";
import { requireCommunityPage } from "@/lib/next/session";

export const metadata: Metadata = { title: "Extra value mappings" };

export default async function MappingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community: settings } = await requireCommunityPage((await params).slug);
  const { slug } = settings;
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Extra value mappings</h2>
      <p className="text-sm text-slate-600">
        Visitors&apos; identities may carry free key → value pairs. A mapping copies one key&apos;s value into an
        identity field; the mapped value wins over a predefined attribute, and custom fields still check their type and
        regex.
      </p>
      <MappingsEditor
        slug={slug}
        mappings={settings.mappings}
        customFields={settings.customFields.map((f) => ({ key: f.key, label: f.label }))}
        editable={canManage(actor)}
      />
    </div>
  );
}
