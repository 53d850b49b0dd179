import { handle } from "@/lib/http/handler";
import { cancelJob } from "@/lib/jobs/manage-jobs";

export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => ({ job: await cancelJob(params.id, { userId: user.id, label: user.email }) }));
