import { handle } from "@/lib/http/handler";
import { deny, denyBody } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";

// Denies with a reason; nothing runs (a reply draft is deleted from Gmail, the undo of drafting it).
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, body, user }) => {
  const { approval, run } = await deny(params.id, await body(denyBody), { userId: user.id, label: user.email, trigger: "dashboard" });
  return { approval, run: run ? toRunDto(run) : null };
});
