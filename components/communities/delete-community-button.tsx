"use client";
import { useRouter } from "next/navigation";
import { deleteCommunityAction } from "@/app/(console)/communities/actions";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function DeleteCommunityButton({ slug, name }: { slug: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      trigger="Delete community…"
      title={`Delete “${name}”?`}
      confirmLabel="Delete community"
      onConfirm={async () => {
        const result = await deleteCommunityAction({ slug });
        if (!result.ok) return result.formError ?? "Could not delete the community.";
        router.push("/communities");
        return null;
      }}
    >
      <p>
        This permanently deletes the community <strong>{name}</strong> (<code>{slug}</code>) and everything configured for
        it. Widgets calling its identity route will be refused. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
