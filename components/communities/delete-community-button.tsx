"use client";
import { deleteCommunityAction } from "@/lib/next/actions/communities";
import { ConfirmAction } from "@/components/ui/confirm-action";

export function DeleteCommunityButton({ slug, name }: { slug: string; name: string }) {
  return (
    <ConfirmAction
      trigger="Delete community…"
      title={`Delete “${name}”?`}
      confirmLabel="Delete community"
      action={() => deleteCommunityAction({ slug })}
      then="/communities"
    >
      <p>
        This permanently deletes the community <strong>{name}</strong> (<code>{slug}</code>) and everything configured
        for it. Widgets calling its identity route will be refused. This cannot be undone.
      </p>
    </ConfirmAction>
  );
}
