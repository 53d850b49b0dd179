import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { listSenderRules, saveSenderRule, senderRuleInputSchema } from "@/lib/triage/rules";

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({ rules: await listSenderRules() }));

// A rule for a sender that already has one replaces its category (one rule per address or domain).
export const POST = handle({ auth: "session", allow: "settings.manage" }, async ({ body, user }) => {
  const rule = await saveSenderRule(await body(senderRuleInputSchema), user.id);
  return NextResponse.json({ rule }, { status: 201 });
});
