import { handle } from "@/lib/http/handler";
import { getMessageDetail } from "@/lib/triage/api";

// One triaged message: the decision with its confidence and reasons, and every action taken on it.
export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => getMessageDetail(params.id));
