import { normaliseIp } from "@/lib/http/ip";
import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { formatDateTime, formatRelative } from "@/components/ui/format";
import { ChangePasswordForm } from "@/components/change-password-form";
import { SignInOutcome } from "@/components/sign-in-reason";
import { requirePageUser } from "@/lib/auth/page-session";
import { listAttemptsForUser } from "@/lib/auth/sign-in-attempts.repository";
import { getConfig } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { People } from "@/components/settings/people";
import { can, ROLE_SUMMARIES, ROLES } from "@/lib/auth/permissions";
import { listUsersFor } from "@/lib/users/manage";
import { addUserAction, changePasswordAction, changeUserRoleAction, setUserDisabledAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-4 px-5 py-3 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 text-slate-900">{children}</dd>
    </div>
  );
}

export default async function SettingsPage() {
  const user = await requirePageUser();
  const config = getConfig();
  const attempts = await listAttemptsForUser(autocommit(), user.id, 10);

  return (
    <>
      <PageHeader title="Settings" description="Your account and how this installation is configured." />
      <div className="grid gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader title="Account" />
          <dl className="divide-y divide-slate-100">
            <Row label="Email">{user.email}</Row>
            <Row label="Name">{user.name ?? "—"}</Row>
            <Row label="Role"><Badge tone={user.role === "owner" ? "blue" : "gray"}>{user.role}</Badge> <span className="text-xs text-slate-500">{ROLE_SUMMARIES[user.role]}</span></Row>
            <Row label="Member since">{formatDateTime(user.createdAt)}</Row>
            <Row label="Last sign-in">{formatDateTime(user.lastSignInAt)}</Row>
          </dl>
        </Card>
        <Card>
          <CardHeader title="Installation" description="From environment variables; see .env.example." />
          <dl className="divide-y divide-slate-100">
            <Row label="Database">{config.embeddedDatabase ? "Embedded PostgreSQL (DATA_DIR/postgres)" : "External PostgreSQL (DATABASE_URL)"}</Row>
            <Row label="Sessions">Expire after {config.SESSION_MAX_AGE_HOURS} hours</Row>
            <Row label="Sign-in limit">{config.SIGN_IN_MAX_FAILURES} failures per {config.SIGN_IN_WINDOW_MINUTES} minutes per account</Row>
            <Row label="Google sign-in">{config.googleSignIn ? <Badge tone="green">enabled</Badge> : <Badge>not configured</Badge>}</Row>
            <Row label="Error reporting">{config.SENTRY_DSN ? <Badge tone="green">Sentry enabled</Badge> : <Badge>off (no SENTRY_DSN)</Badge>}</Row>
          </dl>
        </Card>
      </div>

      {can(user.role, "users.manage") ? (
        <Card className="mt-6">
          <CardHeader title="People" description="Who can sign in, and what their role lets them see and do. A role change applies at their next click." />
          <People
            people={(await listUsersFor(user)).map((p) => ({ id: p.id, email: p.email, name: p.name, role: p.role, disabled: Boolean(p.disabledAt), lastSignInAt: p.lastSignInAt?.toISOString() ?? null }))}
            me={{ id: user.id, role: user.role }}
            roles={ROLES.map((role) => ({ role, summary: ROLE_SUMMARIES[role] }))}
            addUser={addUserAction}
            changeRole={changeUserRoleAction}
            setDisabled={setUserDisabledAction}
          />
        </Card>
      ) : null}

      <Card className="mt-6">
        <CardHeader title="Change password" description="Changing it signs you out everywhere." />
        <ChangePasswordForm action={changePasswordAction} />
      </Card>

      <Card className="mt-6">
        <CardHeader title="Your recent sign-ins" />
        {attempts.length === 0 ? (
          <EmptyState title="No sign-in attempts recorded" />
        ) : (
          // On a phone the method moves under the time and an address may break, so the table fits.
          <div className="overflow-x-auto" data-reflows>
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr><th className="py-2 pl-5 pr-2 font-medium sm:px-5">When</th><th className="hidden px-5 py-2 font-medium sm:table-cell">Method</th><th className="px-2 py-2 font-medium sm:px-5">From</th><th className="py-2 pl-2 pr-5 font-medium sm:px-5">Outcome</th></tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {attempts.map((a) => (
                  <tr key={a.id}>
                    <td className="py-2.5 pl-5 pr-2 text-slate-700 sm:px-5" title={formatDateTime(a.createdAt)}>
                      {formatRelative(a.createdAt)}
                      <span className="block text-xs text-slate-500 sm:hidden">{a.method}</span>
                    </td>
                    <td className="hidden px-5 py-2.5 text-slate-700 sm:table-cell">{a.method}</td>
                    <td className="break-all px-2 py-2.5 font-mono text-xs text-slate-600 sm:px-5">{normaliseIp(a.ip)}</td>
                    <td className="py-2.5 pl-2 pr-5 sm:px-5"><SignInOutcome success={a.success} reason={a.reason} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
