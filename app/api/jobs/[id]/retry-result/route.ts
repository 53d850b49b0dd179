import { NextResponse } from "next/server";
import { handle } from "@/lib/http/handler";
import { retryResultHandler } from "@/lib/jobs/result-handler";
import { toRunDto } from "@/lib/pipelines/run-dto";

/** 202: the job's result handler runs again after its run failed; poll GET /api/jobs/<id> (outcome). */
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => {
  const started = await retryResultHandler(params.id, { userId: user.id, label: user.email });
  return NextResponse.json({ run: toRunDto(started.run) }, { status: 202 });
});
