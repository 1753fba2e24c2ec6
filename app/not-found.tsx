import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-8">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">It may have been deleted, or the address is mistyped.</p>
      <Link className="mt-4 inline-block text-brand-700 underline" href="/communities">
        Back to communities
      </Link>
    </main>
  );
}
