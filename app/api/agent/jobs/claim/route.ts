import { handle } from "@/lib/http/handler";
import { claimJobs, claimRequest } from "@/lib/jobs/claim-jobs";

export const POST = handle({ auth: "agent" }, async ({ agent, body, requestId }) => ({
  jobs: await claimJobs(agent, await body(claimRequest), requestId),
}));
