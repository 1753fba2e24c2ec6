export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <p className="mb-4 text-sm font-semibold tracking-wide text-brand-700">VOUCH</p>
        {children}
      </div>
    </main>
  );
}
