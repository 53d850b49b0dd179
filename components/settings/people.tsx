"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, Spinner } from "@/components/ui/button";
import { formatRelative } from "@/components/ui/format";
import type { Role } from "@/lib/auth/permissions";

// Settings → People: who can sign in and with which role. Every change goes through a server
// action that checks users.manage again; this component only hides what the viewer cannot do.

export type Person = { id: string; email: string; name: string | null; role: Role; disabled: boolean; lastSignInAt: string | null };
export type PeopleResult<T = undefined> = { status: "ok"; value: T } | { status: "error"; message: string };

type Props = {
  people: Person[];
  me: { id: string; role: Role };
  roles: { role: Role; summary: string }[];
  addUser: (input: { email: string; name?: string; role: Role }) => Promise<PeopleResult<{ email: string; password: string }>>;
  changeRole: (email: string, role: Role) => Promise<PeopleResult>;
  setDisabled: (email: string, disabled: boolean) => Promise<PeopleResult>;
};

const ROLE_TONE: Record<Role, "blue" | "green" | "gray" | "amber"> = { owner: "blue", admin: "green", member: "gray", viewer: "amber" };

const lastSignIn = (person: Person) => (person.lastSignInAt ? formatRelative(person.lastSignInAt) : "never");

export function People({ people, me, roles, addUser, changeRole, setDisabled }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ email: string; password: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // An admin may not change an owner or make one.
  const mayTouch = (person: Person) => me.role === "owner" || person.role !== "owner";
  const assignable = roles.filter((r) => me.role === "owner" || r.role !== "owner");

  function run(key: string, action: () => Promise<PeopleResult<unknown>>, after?: (value: unknown) => void) {
    setError(null);
    setBusy(key);
    startTransition(async () => {
      const result = await action();
      setBusy(null);
      if (result.status === "error") return setError(result.message);
      after?.(result.value);
      router.refresh();
    });
  }

  function onAdd(form: FormData) {
    const input = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") || undefined, role: String(form.get("role")) as Role };
    run("add", () => addUser(input), (value) => setIssued(value as { email: string; password: string }));
  }

  return (
    <div>
      {error ? <p role="alert" className="mx-5 mt-4 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700">{error}</p> : null}
      {issued ? (
        <div role="status" className="mx-5 mt-4 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Added {issued.email}. Their password, shown once: <code className="select-all rounded bg-white px-1.5 py-0.5 font-mono">{issued.password}</code>{" "}
          <button type="button" className="ml-2 underline" onClick={() => setIssued(null)}>Done</button>
        </div>
      ) : null}
      <div className="overflow-x-auto" data-reflows>
        {/* On a phone the last sign-in moves under the person, so the table fits without scrolling sideways. */}
        <table className="w-full text-left text-sm sm:min-w-[640px]">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr><th className="py-2 pl-5 pr-2 font-medium sm:px-5">Person</th><th className="px-2 py-2 font-medium sm:px-5">Role</th><th className="hidden px-5 py-2 font-medium sm:table-cell">Last sign-in</th><th className="py-2 pl-2 pr-5 font-medium sm:px-5"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {people.map((person) => (
              <tr key={person.id} className={person.disabled ? "text-slate-400" : undefined}>
                <td className="py-2.5 pl-5 pr-2 sm:px-5">
                  <p className="break-all font-medium text-slate-900">{person.email}{person.id === me.id ? <span className="ml-2 text-xs font-normal text-slate-500">(you)</span> : null}</p>
                  {person.name ? <p className="text-xs text-slate-500">{person.name}</p> : null}
                  <p className="text-xs text-slate-500 sm:hidden">Last sign-in {lastSignIn(person)}</p>
                </td>
                <td className="px-2 py-2.5 sm:px-5">
                  {mayTouch(person) ? (
                    <select
                      aria-label={`Role of ${person.email}`}
                      className="rounded-md border-slate-300 py-1 text-sm"
                      value={person.role}
                      disabled={pending}
                      onChange={(e) => run(`role:${person.id}`, () => changeRole(person.email, e.target.value as Role))}
                    >
                      {assignable.map((r) => <option key={r.role} value={r.role}>{r.role}</option>)}
                    </select>
                  ) : (
                    <Badge tone={ROLE_TONE[person.role]}>{person.role}</Badge>
                  )}
                  {person.disabled ? <Badge tone="gray">disabled</Badge> : null}
                </td>
                <td className="hidden px-5 py-2.5 text-slate-600 sm:table-cell">{lastSignIn(person)}</td>
                <td className="py-2.5 pl-2 pr-5 text-right sm:px-5">
                  {mayTouch(person) && person.id !== me.id ? (
                    <Button variant="secondary" disabled={pending} onClick={() => run(`disable:${person.id}`, () => setDisabled(person.email, !person.disabled))}>
                      {busy === `disable:${person.id}` ? <Spinner /> : null}
                      {person.disabled ? "Enable" : "Disable"}
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form action={onAdd} className="grid gap-3 border-t border-slate-100 px-5 py-4 sm:grid-cols-[2fr_1.5fr_1fr_auto] sm:items-end">
        <div className="text-sm">
          <label htmlFor="person-email" className="mb-1 block text-slate-600">Email</label>
          <input id="person-email" name="email" type="email" required className="w-full rounded-md border-slate-300 text-sm" placeholder="person@example.com" />
        </div>
        <div className="text-sm">
          <label htmlFor="person-name" className="mb-1 block text-slate-600">Name (optional)</label>
          <input id="person-name" name="name" className="w-full rounded-md border-slate-300 text-sm" />
        </div>
        <div className="text-sm">
          <label htmlFor="person-role" className="mb-1 block text-slate-600">Role</label>
          <select id="person-role" name="role" defaultValue="member" className="w-full rounded-md border-slate-300 text-sm">
            {assignable.map((r) => <option key={r.role} value={r.role}>{r.role}</option>)}
          </select>
        </div>
        <Button type="submit" disabled={pending}>{busy === "add" ? <Spinner /> : null}Add person</Button>
      </form>
      <dl className="grid gap-x-6 gap-y-1 border-t border-slate-100 px-5 py-4 text-xs text-slate-500 sm:grid-cols-2">
        {roles.map((r) => (
          <div key={r.role}><dt className="inline font-medium text-slate-700">{r.role}: </dt><dd className="inline">{r.summary}</dd></div>
        ))}
      </dl>
    </div>
  );
}
