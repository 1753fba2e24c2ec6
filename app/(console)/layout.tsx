import Link from "next/link";
import { connection } from "next/server";
import { signOutAction } from "@/lib/next/actions/auth";
import { requireActor } from "@/lib/next/session";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  await connection();
  const actor = await requireActor();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/communities" className="font-semibold tracking-wide text-brand-700">
            VOUCH
          </Link>
          <nav aria-label="Console" className="flex gap-4 text-sm">
            <Link href="/communities" className="hover:underline">
              Communities
            </Link>
            <Link href="/accounts" className="hover:underline">
              Accounts
            </Link>
            <Link href="/docs/api" className="hover:underline">
              API reference
            </Link>
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span>
              {actor.email}{" "}
              <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{actor.role}</span>
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md border border-slate-300 px-2.5 py-1 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6">{children}</main>
    </div>
  );
}
