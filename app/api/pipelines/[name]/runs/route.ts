import { handle } from "@/lib/http/handler";
import { runResultResponse, startRunBody, startRunQuery, userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";

export const POST = handle<{ name: string }>({ auth: "session", allow: "work.run" }, async ({ params, body, query, user, req, requestId }) => {
  const { wait } = query(startRunQuery);
  const { input, idempotencyKey } = await body(startRunBody);
  const result = await runPipeline({
    name: params.name,
    input,
    trigger: "api",
    actor: userActor(user),
    requestId,
    idempotencyKey: idempotencyKey ?? req.headers.get("idempotency-key"),
    waitMs: wait * 1000,
  });
  return runResultResponse(result, requestId);
});
