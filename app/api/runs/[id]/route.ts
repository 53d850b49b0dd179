import { handle } from "@/lib/http/handler";
import { getRunWithFamily } from "@/lib/pipelines/list-runs";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => getRunWithFamily(params.id));
