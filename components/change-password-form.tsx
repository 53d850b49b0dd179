"use client";

import { signOut } from "next-auth/react";
import { useActionState, useEffect } from "react";
import { Button, Spinner } from "@/components/ui/button";

export type ChangePasswordState =
  | { status: "idle" }
  | { status: "error"; message: string; fields?: Record<string, string> }
  | { status: "done" };

type Action = (state: ChangePasswordState, form: FormData) => Promise<ChangePasswordState>;

const FIELDS = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password" },
  { name: "newPassword", label: "New password", autoComplete: "new-password", hint: "At least 10 characters." },
  { name: "confirmPassword", label: "Confirm new password", autoComplete: "new-password" },
] as const;

export function ChangePasswordForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  useEffect(() => {
    // A new password ends every session, this one included: sign in again with it.
    if (state.status === "done") void signOut({ callbackUrl: "/sign-in?error=Password+changed.+Sign+in+with+the+new+password." });
  }, [state.status]);
  const fields = state.status === "error" ? (state.fields ?? {}) : {};

  return (
    <form action={formAction} className="space-y-4 px-5 py-5" noValidate>
      {state.status === "error" ? (
        <p role="alert" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">{state.message}</p>
      ) : null}
      {state.status === "done" ? (
        <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">Password changed. Signing you out…</p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        {FIELDS.map((f) => (
          <div key={f.name}>
            <label htmlFor={f.name} className="block text-sm font-medium text-slate-700">{f.label}</label>
            <input id={f.name} name={f.name} type="password" autoComplete={f.autoComplete}
              aria-invalid={fields[f.name] ? true : undefined}
              className={`mt-1 block w-full rounded-lg border px-3 py-2 text-sm shadow-sm focus:outline-none focus:ring-2 ${fields[f.name] ? "border-rose-400 focus:ring-rose-100" : "border-slate-300 focus:border-brand-500 focus:ring-brand-100"}`} />
            {fields[f.name] ? <p className="mt-1 text-xs text-rose-700">{f.label} {fields[f.name]}</p> : "hint" in f ? <p className="mt-1 text-xs text-slate-500">{f.hint}</p> : null}
          </div>
        ))}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={pending}>{pending ? <Spinner /> : null}{pending ? "Saving…" : "Change password"}</Button>
      </div>
    </form>
  );
}
