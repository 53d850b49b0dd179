import { handle } from "@/lib/http/handler";
import { getJob } from "@/lib/jobs/read-jobs";

export const GET = handle<{ id: string }>({ auth: "session", allow: "activity.view" }, async ({ params }) => getJob(params.id));
