import { handle } from "@/lib/http/handler";
import { describePipeline, getPipeline } from "@/lib/pipelines/catalog";
import { jsonResponse } from "@/lib/openapi/operations";
import { pipelineName } from "@/lib/openapi/schemas";
import { pipelineResponseSchema } from "@/lib/openapi/schemas";

export const GET = handle<{ name: string }>({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "getPipeline",
    summary: "Describe one pipeline",
    tags: ["pipelines"],
    parameters: [pipelineName],
    responses: {
      "200": jsonResponse("The pipeline", pipelineResponseSchema),
      "404": "NotFound",
    },
  },
}, async ({ params }) => ({
  pipeline: describePipeline(getPipeline(params.name)),
}));
