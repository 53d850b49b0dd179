import { handle } from "@/lib/http/handler";
import { describePipeline, getPipeline } from "@/lib/pipelines/catalog";

export const GET = handle<{ name: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => ({
  pipeline: describePipeline(getPipeline(params.name)),
}));
