import { handle } from "@/lib/http/handler";
import { approve } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";

// Approves once (a second approve is a 409) and runs what the approval holds through the runner.
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const { approval, run } = await approve(params.id, { userId: user.id, label: user.email, trigger: "dashboard" });
  return { approval, run: run ? toRunDto(run) : null };
});
