import { handle } from "@/lib/http/handler";
import { allPipelines, describePipeline } from "@/lib/pipelines/catalog";

export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({
  pipelines: allPipelines().map(describePipeline),
}));
