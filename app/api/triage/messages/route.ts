import { handle } from "@/lib/http/handler";
import { listMessagesPage } from "@/lib/triage/api";
import { messageFiltersSchema } from "@/lib/triage/read-triage";

// Triaged mail, newest first: by category (the owner's after review, else triage's), by status
// (`review` is the review queue), by mailbox or by sync run.
export const GET = handle({ auth: "session", allow: "activity.view" }, async ({ query }) => listMessagesPage(query(messageFiltersSchema)));
