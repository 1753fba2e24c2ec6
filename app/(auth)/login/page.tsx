import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { hasAnyAccount } from "@vouch/core/dal/accounts";
import { getActor } from "@/lib/next/session";
import { safeReturnPath } from "@vouch/core/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  if (!(await hasAnyAccount())) redirect("/setup");
  const { next } = await searchParams;
  if (await getActor()) redirect(safeReturnPath(next));
  return (
    <>
      <h1 className="mb-4 text-xl font-semibold">Sign in</h1>
      <SignInForm next={safeReturnPath(next)} />
    </>
  );
}
