import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { SetupForm } from "@/components/auth/setup-form";
import { hasAnyAccount } from "@vouch/core/dal/accounts";

export const metadata: Metadata = { title: "Set up" };

/** First run only: once any account exists (even a viewer made by the CLI) this page does not exist. */
export default async function SetupPage() {
  await connection();
  if (await hasAnyAccount()) notFound();
  return (
    <>
      <h1 className="text-xl font-semibold">Welcome to Vouch</h1>
      <p className="mb-4 mt-1 text-sm text-slate-600">Create the first administrator account.</p>
      <SetupForm />
    </>
  );
}
