"use client";

import { createContext, useContext } from "react";
import type { Permission } from "@/lib/auth/permissions";

// The signed-in person's permissions, for client components that show a button only to those who
// may press it. Hiding is a courtesy: every route and server action checks again on the server.

const PermissionsContext = createContext<readonly Permission[]>([]);

export function PermissionsProvider({ permissions, children }: { permissions: readonly Permission[]; children: React.ReactNode }) {
  return <PermissionsContext.Provider value={permissions}>{children}</PermissionsContext.Provider>;
}

export function useCan(permission: Permission): boolean {
  return useContext(PermissionsContext).includes(permission);
}

/** Renders its children only for a role with the permission (else `fallback`). */
export function Can({ permission, children, fallback = null }: { permission: Permission; children: React.ReactNode; fallback?: React.ReactNode }) {
  return useCan(permission) ? <>{children}</> : <>{fallback}</>;
}
