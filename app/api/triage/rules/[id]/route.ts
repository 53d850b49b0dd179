import { handle } from "@/lib/http/handler";
import { deleteSenderRule } from "@/lib/triage/rules";

export const DELETE = handle<{ id: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => {
  await deleteSenderRule(params.id);
  return { deleted: { id: params.id } };
});
