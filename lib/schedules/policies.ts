// The schedule policies' names and limits: plain values, safe to import from client components.

export const CATCH_UP_POLICIES = ["skip", "once", "all"] as const;
export const OVERLAP_POLICIES = ["skip", "queue"] as const;
export const MAX_CATCH_UP_LIMIT = 100;

export type CatchUpPolicyName = (typeof CATCH_UP_POLICIES)[number];
export type OverlapPolicyName = (typeof OVERLAP_POLICIES)[number];
