import { handle } from "@/lib/http/handler";
import { allPipelines, describePipeline } from "@/lib/pipelines/catalog";
import { jsonResponse } from "@/lib/openapi/operations";
import { pipelineListSchema } from "@/lib/openapi/schemas";

export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listPipelines",
    summary: "List the pipelines this app can run",
    description: "Each with the JSON Schemas of its input and output.",
    tags: ["pipelines"],
    responses: { "200": jsonResponse("Every registered pipeline", pipelineListSchema) },
  },
}, async () => ({
  pipelines: allPipelines().map(describePipeline),
}));
