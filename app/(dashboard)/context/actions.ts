"use server";

import { z } from "zod";
import { authorizeAction } from "@/lib/auth/action-user";
import { isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";
import type { SaveFileResult } from "@/components/context/save-file-result";

const saveArgs = z.object({
  path: z.string().trim().min(1).max(1000),
  content: z.string().max(256 * 1024),
  expectedSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});

/** Saves a hub file from the dashboard's editor as a context.write run, so the edit is on the record. */
export async function saveContextFileAction(path: string, content: string, expectedSha256: string | null): Promise<SaveFileResult> {
  const auth = await authorizeAction("settings.manage");
  if (!auth.ok) return { status: "error", message: auth.code === "unauthorized" ? "Your session has ended. Sign in again; your text is still in the editor." : auth.message };
  const user = auth.user;
  const parsed = saveArgs.safeParse({ path, content, expectedSha256 });
  if (!parsed.success) return { status: "error", message: "The file name or its content is not valid; nothing was saved." };

  const requestId = resolveRequestId(null);
  return runWithRequestContext({ requestId, userId: user.id }, async (): Promise<SaveFileResult> => {
    try {
      const { run } = await runPipeline({
        name: "context.write",
        input: parsed.data,
        trigger: "dashboard",
        actor: userActor(user),
        requestId,
        waitMs: 10_000,
      });
      if (run.status === "succeeded") {
        const output = run.output as { path: string; sha256: string };
        return { status: "saved", runId: run.id, path: output.path, sha256: output.sha256 };
      }
      const error = run.error as { code?: string; message?: string } | null;
      return {
        status: error?.code === "conflict" ? "conflict" : "error",
        runId: run.id,
        message: error?.message ?? `The save is still ${run.status}; see its run.`,
      };
    } catch (error) {
      if (isAppError(error)) return { status: "error", message: error.message };
      getLogger({ component: "dashboard" }).error({ err: error }, "saving a context hub file failed");
      return { status: "error", message: `The file could not be saved. The request id ${requestId} identifies it in the logs.` };
    }
  });
}
