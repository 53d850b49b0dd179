import { handle } from "@/lib/http/handler";
import { retryJob } from "@/lib/jobs/manage-jobs";

export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, user }) => ({ job: await retryJob(params.id, { userId: user.id, label: user.email }) }));
