import { handle } from "@/lib/http/handler";
import { statsQuery } from "@/lib/triage/api";
import { triageStats } from "@/lib/triage/read-triage";

export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => ({ stats: await triageStats(query(statsQuery)) }));
