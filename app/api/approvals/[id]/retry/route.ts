import { handle } from "@/lib/http/handler";
import { retryApprovedRun } from "@/lib/approvals/decide-approval";
import { toRunDto } from "@/lib/pipelines/run-dto";

// Runs an approved call again after its run failed (a 409 unless it failed or was cancelled).
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const { approval, run } = await retryApprovedRun(params.id, { userId: user.id, label: user.email, trigger: "dashboard" });
  return { approval, run: run ? toRunDto(run) : null };
});
