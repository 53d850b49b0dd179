import { REQUEST_ID_HEADER } from "@/lib/http/handler";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import { jsonBody, jsonResponse, operation, pathParameter, queryParameters, ref } from "@/lib/openapi/operations";
import {
  healthSchema,
  pipelineListSchema,
  pipelineResponseSchema,
  runFailedBodySchema,
  runFamilySchema,
  runIdSchema,
  runListSchema,
  runResponseSchema,
} from "@/lib/openapi/schemas";
import type { PathItem } from "@/lib/openapi/types";
import { startRunBody, startRunQuery } from "@/lib/pipelines/api";
import { listRunsQuery } from "@/lib/pipelines/list-runs";

// The system, pipelines and runs endpoints. The document is served without a session, so it
// describes shapes only: not even which pipelines are installed (GET /api/pipelines says that).

/** Health, this document, pipelines and runs. */
export function buildCorePaths(schemas: SchemaComponents): Record<string, PathItem> {
  const pipelineName = pathParameter("name", "The pipeline's name, e.g. system.echo", { type: "string", examples: ["system.echo"] });
  const runId = pathParameter("id", "The run's id", schemas.convert(runIdSchema, "input"));
  const { description: idempotencyKeyDescription, ...idempotencyKeySchema } = schemas.convert(
    startRunBody.shape.idempotencyKey,
    "input",
  );
  const replayHeader = { "x-idempotent-replay": ref("headers", "IdempotentReplay") };
  const runBody = schemas.convert(runResponseSchema, "output");

  return {
    "/api/health": {
      get: operation("public", {
        operationId: "getHealth",
        summary: "Check that the app and its database are up",
        tags: ["system"],
        responses: {
          "200": jsonResponse("The app and its database are up", schemas.convert(healthSchema, "output")),
          "503": jsonResponse("The database cannot be reached", schemas.convert(healthSchema, "output")),
        },
      }),
    },
    "/api/metrics": {
      get: operation("public", {
        operationId: "getMetrics",
        summary: "Prometheus metrics (needs METRICS_TOKEN)",
        description:
          "The Prometheus text exposition format. Off (404) unless METRICS_TOKEN is set; then only with " +
          "`Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). Not an agent or session token.",
        tags: ["system"],
        responses: {
          "200": {
            description: "Every series (text/plain; version=0.0.4)",
            headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId") },
            content: { "text/plain": { schema: { type: "string" } } },
          },
          "401": ref("responses", "Unauthorized"),
          "404": ref("responses", "NotFound"),
        },
      }),
    },
    "/api/openapi.json": {
      get: operation("public", {
        operationId: "getOpenApiDocument",
        summary: "This document",
        tags: ["system"],
        responses: {
          "200": jsonResponse("The OpenAPI 3.1 document of this API", { type: "object" }),
        },
      }),
    },
    "/api/pipelines": {
      get: operation("session", {
        operationId: "listPipelines",
        summary: "List the pipelines this app can run",
        description: "Each with the JSON Schemas of its input and output.",
        tags: ["pipelines"],
        responses: { "200": jsonResponse("Every registered pipeline", schemas.convert(pipelineListSchema, "output")) },
      }),
    },
    "/api/pipelines/{name}": {
      get: operation("session", {
        operationId: "getPipeline",
        summary: "Describe one pipeline",
        tags: ["pipelines"],
        parameters: [pipelineName],
        responses: {
          "200": jsonResponse("The pipeline", schemas.convert(pipelineResponseSchema, "output")),
          "404": ref("responses", "NotFound"),
        },
      }),
    },
    "/api/pipelines/{name}/runs": {
      post: operation("session", {
        operationId: "startRun",
        summary: "Run a pipeline",
        description:
          "Validates the input against the pipeline's inputSchema, records the run and starts it, then waits up to `wait` " +
          "seconds: 200 with the run when it succeeded, 422 with the run when it failed, 202 with the open run (and a " +
          "Location to poll) when it is still going. Invalid input is a 400 and records no run. An idempotency key (body " +
          "or header; the body wins) returns the first run for the same key instead of running again.",
        tags: ["pipelines", "runs"],
        parameters: [
          pipelineName,
          ...queryParameters(schemas, startRunQuery),
          {
            name: "Idempotency-Key",
            in: "header",
            required: false,
            description: `The same as the body's idempotencyKey: ${String(idempotencyKeyDescription ?? "")}`,
            schema: idempotencyKeySchema,
          },
        ],
        requestBody: jsonBody(
          schemas.convert(startRunBody, "input"),
          "An empty body (with Content-Type: application/json) runs the pipeline with its default input",
        ),
        responses: {
          "200": jsonResponse("The run succeeded", runBody, replayHeader),
          "202": jsonResponse("The run is still going; poll the Location (GET /api/runs/{id})", runBody, {
            ...replayHeader,
            location: { description: "The run, e.g. /api/runs/run_…", schema: { type: "string" } },
          }),
          "400": ref("responses", "BadRequest"),
          "404": ref("responses", "NotFound"),
          "413": ref("responses", "PayloadTooLarge"),
          "415": ref("responses", "UnsupportedMediaType"),
          "422": jsonResponse("The run failed or was cancelled; the body carries it", schemas.convert(runFailedBodySchema, "output"), replayHeader),
        },
      }),
    },
    "/api/runs": {
      get: operation("session", {
        operationId: "listRuns",
        summary: "List runs, newest first",
        description: "Filter by pipeline, status, trigger, actor, parent and time; page with `cursor` (the last run's id).",
        tags: ["runs"],
        parameters: queryParameters(schemas, listRunsQuery),
        responses: {
          "200": jsonResponse("A page of runs", schemas.convert(runListSchema, "output")),
          "400": ref("responses", "BadRequest"),
        },
      }),
    },
    "/api/runs/{id}": {
      get: operation("session", {
        operationId: "getRun",
        summary: "Get a run with its parent and child runs",
        tags: ["runs"],
        parameters: [runId],
        responses: {
          "200": jsonResponse("The run", schemas.convert(runFamilySchema, "output")),
          "404": ref("responses", "NotFound"),
        },
      }),
    },
    "/api/runs/{id}/cancel": {
      post: operation("session", {
        operationId: "cancelRun",
        summary: "Cancel a queued or running run",
        description: "Answers once the run is closed. A run executing in another app instance cannot be reached (409).",
        tags: ["runs"],
        parameters: [runId],
        responses: {
          "200": jsonResponse("The run, now cancelled", runBody),
          "404": ref("responses", "NotFound"),
          "409": ref("responses", "Conflict"),
        },
      }),
    },
  };
}
