import { countPendingApprovals } from "@/lib/approvals/read-approvals";
import { requirePageUser } from "@/lib/auth/page-session";
import { permissionsOf } from "@/lib/auth/permissions";
import { MobileNavButton, Sidebar } from "@/components/shell/sidebar";
import { PermissionsProvider } from "@/components/shell/permissions";
import { UserMenu } from "@/components/shell/user-menu";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const permissions = permissionsOf(user.role);
  const pendingApprovals = permissions.includes("activity.view") ? await countPendingApprovals(user) : 0;
  return (
    <div className="min-h-screen">
      <Sidebar pendingApprovals={pendingApprovals} permissions={permissions} />
      <div className="lg:pl-64">
        <header className="sticky top-0 z-20 flex h-16 items-center justify-between gap-4 border-b border-slate-200 bg-white/90 px-4 backdrop-blur sm:px-8">
          <MobileNavButton />
          <div className="flex-1" />
          <UserMenu email={user.email} name={user.name} />
        </header>
        <main className="mx-auto max-w-7xl px-4 py-8 sm:px-8">
          <PermissionsProvider permissions={permissions}>{children}</PermissionsProvider>
        </main>
      </div>
    </div>
  );
}
