import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { listSenderRules, saveSenderRule, senderRuleInputSchema } from "@/lib/triage/rules";
import { jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { ruleResponseSchema, rulesSchema } from "@/lib/triage/api-schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listTriageSenderRules",
    summary: "The sender rules stage 1 applies first",
    tags: ["triage"],
    responses: { "200": jsonResponse("Every rule", rulesSchema) },
  },
}, async () => ({ rules: await listSenderRules() }));

// A rule for a sender that already has one replaces its category (one rule per address or domain).
export const POST = handle({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "saveTriageSenderRule",
    summary: "Add a sender rule",
    description: "One rule per address or domain: a rule for a sender that already has one changes its category.",
    tags: ["triage"],
    requestBody: jsonBody(senderRuleInputSchema),
    responses: { "201": jsonResponse("The rule", ruleResponseSchema), "400": "BadRequest" },
  },
}, async ({ body, user }) => {
  const rule = await saveSenderRule(await body(senderRuleInputSchema), user.id);
  return NextResponse.json({ rule }, { status: 201 });
});
