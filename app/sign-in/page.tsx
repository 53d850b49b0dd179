import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Logo } from "@/components/ui/logo";
import { SignInForm } from "@/components/sign-in-form";
import { getSessionUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { safeLocalPath } from "@/lib/http/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // Only same-site paths are accepted as a destination after sign-in.
  const callbackUrl = safeLocalPath(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  const error = Array.isArray(params.error) ? params.error[0] : params.error;

  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-slate-100 via-white to-brand-50 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo className="h-12 w-12" />
          <h1 className="mt-4 text-xl font-semibold text-slate-900">Sign in to Personal Automations</h1>
          <p className="mt-1 text-sm text-slate-500">Your agents request work here. You stay in charge.</p>
        </div>
        <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
          <SignInForm googleEnabled={getConfig().googleSignIn} callbackUrl={callbackUrl} initialError={error} />
        </div>
        <p className="mt-6 text-center text-xs text-slate-500">
          Forgot the password? Run <code className="rounded bg-slate-100 px-1 py-0.5 font-mono">npm run cli -- users reset-password &lt;email&gt;</code>
        </p>
      </div>
    </main>
  );
}
