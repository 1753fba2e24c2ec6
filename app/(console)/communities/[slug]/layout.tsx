import Link from "next/link";
import { CommunityNav } from "@/components/console/community-nav";
import { requireCommunityPage } from "@/lib/next/session";

export default async function CommunityLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { community } = await requireCommunityPage((await params).slug);
  return (
    <div>
      <Link href="/communities" className="text-sm text-brand-700 underline">
        ← Communities
      </Link>
      <h1 className="mt-2 text-2xl font-semibold">{community.name}</h1>
      <CommunityNav slug={community.slug} />
      <div className="pt-6">{children}</div>
    </div>
  );
}
