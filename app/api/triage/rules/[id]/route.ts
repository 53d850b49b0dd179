import { handle } from "@/lib/http/handler";
import { deleteSenderRule } from "@/lib/triage/rules";
import { jsonResponse } from "@/lib/openapi/operations";
import { ruleDeletedSchema, ruleId } from "@/lib/triage/api-schemas";

export const DELETE = handle<{ id: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "deleteTriageSenderRule",
    summary: "Delete a sender rule",
    tags: ["triage"],
    parameters: [ruleId],
    responses: { "200": jsonResponse("Deleted", ruleDeletedSchema), "404": "NotFound" },
  },
}, async ({ params }) => {
  await deleteSenderRule(params.id);
  return { deleted: { id: params.id } };
});
