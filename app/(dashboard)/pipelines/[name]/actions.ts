"use server";

import { z } from "zod";
import { authorizeAction } from "@/lib/auth/action-user";
import { fieldIssues, isAppError, type FieldIssue } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { userActor } from "@/lib/pipelines/api";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";

import type { RunActionResult } from "@/components/pipelines/run-action-result";

const WAIT_MS = 10_000;

const args = z.object({
  name: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().min(1).max(200).optional(),
});

/**
 * Runs a pipeline for the signed-in user from the dashboard's run form. The form sends a key per
 * submission and sends it again when it retries one whose answer never arrived, so a run the
 * server started before the connection dropped is returned instead of run twice.
 */
export async function runPipelineAction(name: string, input: unknown, idempotencyKey?: string): Promise<RunActionResult> {
  const auth = await authorizeAction("work.run");
  if (!auth.ok) return { status: "error", code: auth.code, message: auth.message };
  const user = auth.user;
  const parsed = args.safeParse({ name, input, idempotencyKey });
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error).map((i) => ({ ...i, path: i.path.replace(/^input\.?/, "") }));
    const message = issues.some((i) => i.path.startsWith("idempotencyKey")) ? "The idempotency key must be 1 to 200 characters." : "The input must be a JSON object.";
    return { status: "invalid", message, issues };
  }

  const requestId = resolveRequestId(null);
  return runWithRequestContext({ requestId, userId: user.id }, async (): Promise<RunActionResult> => {
    try {
      const result = await runPipeline({
        name: parsed.data.name,
        input: parsed.data.input,
        trigger: "dashboard",
        actor: userActor(user),
        requestId,
        idempotencyKey: parsed.data.idempotencyKey,
        waitMs: WAIT_MS,
      });
      return { status: "started", run: toRunDto(result.run) };
    } catch (error) {
      if (isAppError(error)) {
        if (error.code === "validation_failed") {
          const issues = (error.details as { issues?: FieldIssue[] } | undefined)?.issues ?? [];
          return { status: "invalid", message: "Check the highlighted fields; nothing was run.", issues };
        }
        return { status: "error", code: error.code, message: error.message };
      }
      getLogger({ component: "dashboard" }).error({ err: error, pipeline: parsed.data.name }, "run from the dashboard failed");
      return { status: "error", code: "internal", message: `The run could not be started. The request id ${requestId} identifies it in the logs.` };
    }
  });
}
