import type { Metadata } from "next";
import { TokenTestConsole } from "@/components/identity/token-test-console";
import { requireActor } from "@/lib/next/session";

export const metadata: Metadata = { title: "Test console" };

export default async function TestConsolePage({ params }: { params: Promise<{ slug: string }> }) {
  await requireActor();
  const { slug } = await params;
  return (
    <div className="flex flex-col gap-3">
      <h2 className="text-lg font-semibold">Token test console</h2>
      <p className="text-sm text-slate-600">
        Paste a JWT your backend produced (or an unsigned JSON identity) to see each verification step and the identity
        that would be stored. Use it before switching a website over, or to find out why a visitor was refused.
      </p>
      <TokenTestConsole slug={slug} />
    </div>
  );
}
