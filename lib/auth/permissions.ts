import { AppError } from "@/lib/errors";

// Who may see and do what. Every session route declares the permission it needs (lib/http/handler.ts),
// every server action and page asks here, and tests/integration/permission-matrix.test.ts calls
// every route as every role. The README's Security section shows this table.

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  "chat.use": "talk to the assistants in their own conversations (the area's pipelines are its tools)",
  "mail.own": "connect one's own Gmail, see, review, undo and sync its triage, and send or delete the reply drafts made from its mail (nobody else's mailbox)",
  "activity.view":
    "see the overview, runs, jobs, approvals, schedules, events, triage rules and settings, agents and sources (read-only; not the jobs and approvals made from someone else's mail)",
  "work.run": "start pipelines, create, retry and cancel jobs and runs, decide approvals, retry events",
  "settings.manage": "agents and their secrets, webhook sources, schedules, triage rules and thresholds, assistants, disconnecting anyone's Gmail account",
  "users.manage": "add people, change roles, disable accounts (an admin cannot change an owner)",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const MATRIX: Record<Role, readonly Permission[]> = {
  owner: ["chat.use", "mail.own", "activity.view", "work.run", "settings.manage", "users.manage"],
  admin: ["chat.use", "mail.own", "activity.view", "work.run", "settings.manage", "users.manage"],
  member: ["chat.use", "mail.own"],
  viewer: ["activity.view"],
};

export const ROLE_SUMMARIES: Record<Role, string> = {
  owner: "Everything, including the other owners' and admins' accounts.",
  admin: "Everything except changing an owner's account.",
  member: "Their own conversations with the assistants and their own Gmail's triage; nothing of the installation's operation.",
  viewer: "Read-only: the overview, runs, jobs, schedules, events and agents (no mailbox of their own).",
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return MATRIX[role];
}

/** What a refused person is told (the API's 403 and the server actions' answer alike). */
export function refusalMessage(role: Role, permission: Permission): string {
  return `This needs the ${permission} permission, which the ${role} role does not have`;
}

/** Throws 403 unless the role has the permission. */
export function requirePermission(user: { role: Role }, permission: Permission): void {
  if (!can(user.role, permission)) throw new AppError("forbidden", refusalMessage(user.role, permission), { permission, role: user.role });
}

/** The page a role lands on: the overview for those who may see it, the chat for the others. */
export function homePathFor(role: Role): string {
  return can(role, "activity.view") ? "/" : "/chat";
}
