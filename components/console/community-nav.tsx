"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  ["", "Overview"],
  ["/install", "Install"],
  ["/signed-identities", "Signed identities"],
  ["/custom-fields", "Custom fields"],
  ["/mappings", "Extra value mappings"],
  ["/identities", "Identities"],
  ["/verification-log", "Verification log"],
  ["/test-console", "Test console"],
  ["/webhooks", "Webhooks"],
  ["/audit", "Audit log"],
] as const;

export function CommunityNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Community sections" className="mt-4 border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-1 text-sm">
        {SECTIONS.map(([suffix, label]) => {
          const href = `/communities/${slug}${suffix}`;
          const current = pathname === href || (suffix !== "" && pathname.startsWith(`${href}/`));
          return (
            <li key={suffix}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`inline-block rounded-t-md border px-3 py-2 ${
                  current
                    ? "border-slate-200 border-b-white bg-white font-medium text-brand-700"
                    : "border-transparent text-slate-700 hover:text-brand-700"
                }`}
              >
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
