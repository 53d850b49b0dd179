import { handle } from "@/lib/http/handler";
import { listActionsPage } from "@/lib/triage/api";
import { actionFiltersSchema } from "@/lib/triage/read-triage";
import { actionPageSchema } from "@/lib/triage/api-schemas";
import { jsonResponse } from "@/lib/openapi/operations";

// The action log, newest first: every label change triage or the owner made, with the labels
// before and after, and the undos.
export const GET = handle({
  auth: "session",
  allow: "mail.own",
  openapi: {
    operationId: "listTriageActions",
    summary: "The action log, newest first",
    description: "Every label change triage or the owner made, with the message's labels before and after, who did it, and whether it was undone.",
    tags: ["triage"],
    query: actionFiltersSchema,
    responses: { "200": jsonResponse("A page of actions", actionPageSchema), "400": "BadRequest" },
  },
}, async ({ query, user }) => listActionsPage(user, query(actionFiltersSchema)));
