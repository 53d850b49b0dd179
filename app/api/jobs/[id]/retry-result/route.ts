import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { assertSeesJob } from "@/lib/jobs/read-jobs";
import { retryResultHandler } from "@/lib/jobs/result-handler";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { runResponseSchema } from "@/lib/openapi/schemas";

/** 202: the job's result handler runs again after its run failed; poll GET /api/jobs/<id> (outcome). */
export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "retryJobResult",
    summary: "Run a succeeded job's result handler again after its run failed",
    description:
      "Starts the kind's result pipeline again (the handlers are idempotent per job: nothing is written twice) and links the new run " +
      "as the job's resultRunId; the job's trail records a result_retried event. Two requests start one run. A 409 when the " +
      "result run succeeded, is still going, or the kind has none. Follow it with GET /api/jobs/{id} (outcome).",
    tags: ["jobs", "runs"],
    parameters: [pathParameter("id", "The job's id (job_…)", { type: "string" })],
    responses: { "202": jsonResponse("The new result run, started", runResponseSchema), "404": "NotFound", "409": "Conflict" },
  },
}, async ({ params, user }) => {
  await assertSeesJob(user, params.id);
  const started = await retryResultHandler(params.id, { userId: user.id, label: user.email });
  return NextResponse.json({ run: toRunDto(started.run) }, { status: 202 });
});
