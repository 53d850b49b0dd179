import { handle } from "@/lib/http/handler";
import { listActionsPage } from "@/lib/triage/api";
import { actionFiltersSchema } from "@/lib/triage/read-triage";

// The action log, newest first: every label change triage or the owner made, with the labels
// before and after, and the undos.
export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listActionsPage(query(actionFiltersSchema)));
