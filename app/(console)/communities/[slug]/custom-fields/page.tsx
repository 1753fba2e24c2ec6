import type { Metadata } from "next";
import { CustomFieldForm } from "@/components/identity/custom-field-form";
import { CustomFieldList } from "@/components/identity/custom-field-list";
import { canManage } from "@vouch/core/authz";
import { requireCommunityPage } from "@/lib/next/session";

export const metadata: Metadata = { title: "Custom fields" };

export default async function CustomFieldsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { actor, community: settings } = await requireCommunityPage((await params).slug);
  const { slug } = settings;
  const admin = canManage(actor);
  const fields = settings.customFields.map((f) => ({ ...f, regex: f.regex ?? "" }));
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="fields-heading" className="flex flex-col gap-3">
        <h2 id="fields-heading" className="text-lg font-semibold">
          Custom fields
        </h2>
        <p className="text-sm text-slate-600">
          Identity fields shown to agents next to the predefined ones. A value that does not fit a field&apos;s type or
          regex is not stored in it — e.g. a “Customer ID” whose regex matches only your own IDs never receives
          automated chat UUIDs.
        </p>
        <CustomFieldList slug={slug} fields={fields} editable={admin} />
      </section>
      {admin && (
        <section
          aria-labelledby="new-field-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="new-field-heading" className="mb-3 text-lg font-semibold">
            New custom field
          </h2>
          <CustomFieldForm slug={slug} />
        </section>
      )}
    </div>
  );
}
