import type { Metadata } from "next";
import "./globals.css";
import { HydrationMarker } from "@/components/ui/hydration-marker";

export const metadata: Metadata = {
  title: { default: "Vouch", template: "%s · Vouch" },
  description: "Identity verification for web chat",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <HydrationMarker />
        {children}
      </body>
    </html>
  );
}
