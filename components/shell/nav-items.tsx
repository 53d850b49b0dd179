import type { Permission } from "@/lib/auth/permissions";

// The dashboard's navigation. Later capabilities add their pages here, with the permission their
// page asks for (null: every signed-in user), so a role sees only what it can open.
export type NavItem = { href: string; label: string; icon: React.ReactNode; permission: Permission | null };

const icon = (d: string) => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" className="h-5 w-5" aria-hidden="true">
    <path d={d} />
  </svg>
);

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: icon("M3 12l9-8 9 8M5 10v10h5v-6h4v6h5V10"), permission: "activity.view" },
  { href: "/chat", label: "Chat", icon: icon("M21 12a8 8 0 0 1-11.8 7L3 21l2-6.2A8 8 0 1 1 21 12zM8 11h.01M12 11h.01M16 11h.01"), permission: "chat.use" },
  { href: "/approvals", label: "Approvals", icon: icon("M9 12l2 2 4-4M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z"), permission: "activity.view" },
  { href: "/triage", label: "Triage", icon: icon("M4.5 5h15A1.5 1.5 0 0 1 21 6.5v11a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5v-11A1.5 1.5 0 0 1 4.5 5zM3.5 6.5 12 13l8.5-6.5"), permission: "mail.own" },
  { href: "/context", label: "Context", icon: icon("M4 19.5A2.5 2.5 0 0 1 6.5 17H20M4 19.5A2.5 2.5 0 0 0 6.5 22H20V2H6.5A2.5 2.5 0 0 0 4 4.5v15zM9 7h7M9 11h5"), permission: "activity.view" },
  { href: "/areas", label: "Areas", icon: icon("M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 16.5h7M16.5 13v7"), permission: "settings.manage" },
  { href: "/pipelines", label: "Pipelines", icon: icon("M4 5h6v5H4zM14 14h6v5h-6zM7 10v3a3 3 0 0 0 3 3h4M17 14V9a3 3 0 0 0-3-3h-1"), permission: "activity.view" },
  { href: "/runs", label: "Runs", icon: icon("M3 12h4l3 7 4-14 3 7h4"), permission: "activity.view" },
  { href: "/jobs", label: "Jobs", icon: icon("M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2M9 5a2 2 0 0 0 2 2h2a2 2 0 0 0 2-2M9 5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2M9 14l2 2 4-4"), permission: "activity.view" },
  { href: "/schedules", label: "Schedules", icon: icon("M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM12 7v5l3 2"), permission: "activity.view" },
  { href: "/events", label: "Events", icon: icon("M13 2 4 14h7l-1 8 9-12h-7l1-8z"), permission: "activity.view" },
  { href: "/agents", label: "Agents", icon: icon("M12 3a4 4 0 1 1 0 8 4 4 0 0 1 0-8zM4 21v-1a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v1M19 3v4M21 5h-4"), permission: "activity.view" },
  { href: "/settings", label: "Settings", icon: icon("M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z"), permission: null },
];

/** The items a user with these permissions can open. */
export function navItemsFor(permissions: readonly Permission[]): NavItem[] {
  return NAV_ITEMS.filter((item) => item.permission === null || permissions.includes(item.permission));
}

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(href + "/");
}
