// The floor for agent calls over HTTP: plain `node:http` doing what POST /api/agent/jobs/claim and
// /complete do in the service (the same claimJobs and completeJob, so the same SQL, validation and
// result handlers), without Next.js, the route wrapper or token checks. Started by bench:jobs as a
// child process (its CPU is read on its own); it says "ready" over IPC once listening.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { AgentPrincipal } from "@/lib/agents/principal";
import { claimJobs } from "@/lib/jobs/claim-jobs";
import { completeJob } from "@/lib/jobs/complete-job";

const principal = JSON.parse(process.env.BENCH_PRINCIPAL ?? "null") as AgentPrincipal;

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
}

const server = createServer((req, res) => {
  void (async () => {
    try {
      const body = await bodyOf(req);
      const completing = /^\/jobs\/([^/]+)\/complete$/.exec(req.url ?? "");
      const answer = req.url === "/jobs/claim"
        ? { jobs: await claimJobs(principal, { limit: 1 }) }
        : completing
          ? await completeJob(principal, completing[1]!, String(body.leaseId), body.result)
          : null;
      res.writeHead(answer ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(answer ?? { error: "not found" }));
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: String(error) }));
    }
  })();
});

server.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as AddressInfo).port }));
