"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";
import { PendingBadge } from "@/components/approvals/pending-badge";
import { Logo } from "@/components/ui/logo";
import { isActive, navItemsFor } from "@/components/shell/nav-items";
import type { Permission } from "@/lib/auth/permissions";
import { useUiStore } from "@/lib/stores/ui-store";

export function Sidebar({ pendingApprovals = 0, permissions }: { pendingApprovals?: number; permissions: readonly Permission[] }) {
  const pathname = usePathname();
  const navOpen = useUiStore((s) => s.navOpen);
  const setNavOpen = useUiStore((s) => s.setNavOpen);
  useEffect(() => setNavOpen(false), [pathname, setNavOpen]);

  return (
    <>
      {navOpen ? <div className="fixed inset-0 z-30 bg-slate-900/40 lg:hidden" onClick={() => setNavOpen(false)} /> : null}
      <aside
        className={`fixed inset-y-0 left-0 z-40 flex w-64 flex-col bg-slate-900 text-slate-300 transition-transform lg:translate-x-0 ${navOpen ? "translate-x-0" : "-translate-x-full"}`}
      >
        <div className="flex h-16 items-center gap-3 px-5">
          <Logo />
          <div className="leading-tight">
            <p className="whitespace-nowrap text-[13px] font-semibold text-white">Personal Automations</p>
            <p className="text-xs text-slate-400">agents, on a leash</p>
          </div>
        </div>
        <nav aria-label="Main" className="mt-2 flex-1 space-y-1 px-3">
          {navItemsFor(permissions).map((item) => {
            const active = isActive(pathname, item.href);
            return (
              <Link
                key={item.href}
                href={item.href}
                aria-current={active ? "page" : undefined}
                className={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors ${active ? "bg-slate-800 text-white" : "hover:bg-slate-800/60 hover:text-white"}`}
              >
                {item.icon}
                {item.label}
                {item.href === "/approvals" ? <PendingBadge initial={pendingApprovals} /> : null}
              </Link>
            );
          })}
        </nav>
        <p className="px-5 py-4 text-xs text-slate-500">Self-hosted · every action on the record</p>
      </aside>
    </>
  );
}

export function MobileNavButton() {
  const toggleNav = useUiStore((s) => s.toggleNav);
  return (
    <button type="button" onClick={toggleNav} className="rounded-md p-2 text-slate-600 hover:bg-slate-100 lg:hidden" aria-label="Open navigation">
      <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
        <path d="M4 6h16M4 12h16M4 18h16" />
      </svg>
    </button>
  );
}
