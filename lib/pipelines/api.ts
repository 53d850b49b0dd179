import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, errorBodyFor } from "@/lib/errors";
import type { Actor } from "@/lib/pipelines/define";
import { toRunDto, type RunDto } from "@/lib/pipelines/run-dto";
import type { RunPipelineResult } from "@/lib/pipelines/run-pipeline";
import type { PublicUser } from "@/lib/users/repository";

// Request and response shapes of the pipelines API; the OpenAPI document is built from these.

export const startRunBody = z
  .object({
    input: z.record(z.string(), z.unknown()).default({}).describe("The pipeline's input; see its inputSchema"),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "Repeat a request with the same key to get the first run back instead of running again. If a crash interrupted " +
          "that run (error code interrupted), the repeat starts its next attempt under the same key (up to 5 attempts)",
      ),
  })
  .meta({ id: "StartRunRequest" });

export const startRunQuery = z.object({
  wait: z.coerce.number().min(0).max(60).default(10).describe("Seconds to wait for the result before answering 202"),
});

export function userActor(user: Pick<PublicUser, "id" | "email">): Actor {
  return { type: "user", id: user.id, label: user.email };
}

/** 200 with the run when it succeeded, 422 with the run when it failed, 202 while it is still going. */
export function runResultResponse(result: RunPipelineResult, requestId: string): NextResponse {
  const run: RunDto = toRunDto(result.run);
  const headers = { "x-request-id": requestId, "x-idempotent-replay": result.reused ? "true" : "false" };
  if (!result.finished) {
    return NextResponse.json({ run }, { status: 202, headers: { ...headers, location: `/api/runs/${run.id}` } });
  }
  if (run.status === "succeeded") return NextResponse.json({ run }, { status: 200, headers });
  const error = new AppError("run_failed", `${run.pipeline} ${run.status}: ${run.error?.message ?? "no details"}`, {
    runId: run.id,
    cause: run.error?.code,
  });
  return NextResponse.json({ ...errorBodyFor(error, requestId), run }, { status: error.status, headers });
}
