import { handle } from "@/lib/http/handler";
import { listRuns, listRunsQuery } from "@/lib/pipelines/list-runs";

export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listRuns(query(listRunsQuery)));
