import { handle } from "@/lib/http/handler";
import { toRunDto } from "@/lib/pipelines/run-dto";
import { cancelRun } from "@/lib/pipelines/runner";
import { jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { runIdSchema, runResponseSchema } from "@/lib/openapi/schemas";

export const POST = handle<{ id: string }>({
  auth: "session",
  allow: "work.run",
  openapi: {
    operationId: "cancelRun",
    summary: "Cancel a queued or running run",
    description: "Answers once the run is closed. A run executing in another app instance cannot be reached (409).",
    tags: ["runs"],
    parameters: [pathParameter("id", "The run's id", runIdSchema)],
    responses: {
      "200": jsonResponse("The run, now cancelled", runResponseSchema),
      "404": "NotFound",
      "409": "Conflict",
    },
  },
}, async ({ params, user }) => ({
  run: toRunDto(await cancelRun(params.id, user.email)),
}));
