import { handle } from "@/lib/http/handler";
import { runResultResponse, startRunBody, startRunQuery, userActor } from "@/lib/pipelines/api";
import { runPipeline } from "@/lib/pipelines/run-pipeline";
import { IDEMPOTENT_REPLAY_HEADER, jsonBody, jsonResponse } from "@/lib/openapi/operations";
import { pipelineName } from "@/lib/openapi/schemas";
import { runFailedBodySchema, runResponseSchema } from "@/lib/openapi/schemas";

export const POST = handle<{ name: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "startRun",
    summary: "Run a pipeline",
    description:
      "Validates the input against the pipeline's inputSchema, records the run and starts it, then waits up to `wait` " +
      "seconds: 200 with the run when it succeeded, 422 with the run when it failed, 202 with the open run (and a " +
      "Location to poll) when it is still going. Invalid input is a 400 and records no run. An idempotency key (body " +
      "or header; the body wins) returns the first run for the same key instead of running again; when a crash " +
      "interrupted that run, it starts the next attempt instead (up to 5), and GET /api/runs/{id} lists the attempts.",
    tags: ["pipelines", "runs"],
    parameters: [
      pipelineName,
      {
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description: `The same as the body's idempotencyKey: ${String(startRunBody.shape.idempotencyKey.description ?? "")}`,
        schema: startRunBody.shape.idempotencyKey,
      }],
    query: startRunQuery,
    requestBody: jsonBody(
      startRunBody,
      "An empty body (with Content-Type: application/json) runs the pipeline with its default input",
    ),
    responses: {
      "200": jsonResponse("The run succeeded", runResponseSchema, IDEMPOTENT_REPLAY_HEADER),
      "202": jsonResponse("The run is still going; poll the Location (GET /api/runs/{id})", runResponseSchema, {
        ...IDEMPOTENT_REPLAY_HEADER,
        location: { description: "The run, e.g. /api/runs/run_…", schema: { type: "string" } },
      }),
      "400": "BadRequest",
      "404": "NotFound",
      "413": "PayloadTooLarge",
      "415": "UnsupportedMediaType",
      "422": jsonResponse("The run failed or was cancelled; the body carries it", runFailedBodySchema, IDEMPOTENT_REPLAY_HEADER),
    },
  },
}, async ({ params, body, query, user, req, requestId }) => {
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
