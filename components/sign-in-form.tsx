"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, Spinner } from "@/components/ui/button";

const ERRORS: Record<string, string> = {
  CredentialsSignin: "The email or password is not correct.",
  GoogleAccountNotAllowed: "That Google account is not allowed here. Sign in with a Google account whose email matches an existing, enabled account.",
  AccessDenied: "Access denied.",
  SessionRequired: "Sign in to continue.",
  OAuthCallback: "Google sign-in did not complete. Try again.",
};

export function SignInForm({ googleEnabled, callbackUrl, initialError }: { googleEnabled: boolean; callbackUrl: string; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? (ERRORS[initialError] ?? initialError) : null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(ERRORS[result?.error ?? ""] ?? result?.error ?? "Sign-in failed. Try again.");
        setBusy(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("The server could not be reached. Check your connection and try again.");
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      {error ? (
        <div role="alert" data-testid="form-error" className="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
          {error}
        </div>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-700">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none" />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-700">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none" />
        </div>
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? <Spinner /> : null}
          {busy ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {googleEnabled ? (
        <>
          <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-slate-400">
            <span className="h-px flex-1 bg-slate-200" />or<span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button type="button" variant="secondary" className="w-full" onClick={() => void signIn("google", { callbackUrl })}>
            Continue with Google
          </Button>
        </>
      ) : null}
    </div>
  );
}
