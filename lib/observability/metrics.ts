import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Every Prometheus series the app exports, in one registry (kept on globalThis so a hot reload in
// development does not register them twice). Labels stay bounded: route templates rather than
// paths, pipeline/kind/source/agent names the operator defines, never ids. Schedules are counted by
// their pipeline, not their name: schedules are data (thousands of them are fine), and one series
// per schedule — a dozen per histogram — would grow Prometheus with every schedule created.
// Counters and histograms count what this process did; the gauges below `db` are read from the
// database at scrape time (lib/observability/db-gauges.ts), so they hold across instances.

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RUN_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900];
const LATENESS_SECONDS = [0.5, 1, 5, 15, 30, 60, 300, 900, 3600];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "pa_" });
  const r = { registers: [registry] };
  return {
    registry,
    httpRequests: new Counter({ ...r, name: "pa_http_requests_total", help: "API requests by route template, method and status", labelNames: ["route", "method", "status"] }),
    httpDuration: new Histogram({ ...r, name: "pa_http_request_duration_seconds", help: "API request duration", labelNames: ["route", "method", "status"], buckets: SECONDS }),
    runs: new Counter({ ...r, name: "pa_pipeline_runs_total", help: "Finished pipeline runs by pipeline, trigger and status", labelNames: ["pipeline", "trigger", "status"] }),
    runDuration: new Histogram({ ...r, name: "pa_pipeline_run_duration_seconds", help: "Pipeline run duration", labelNames: ["pipeline", "trigger", "status"], buckets: RUN_SECONDS }),
    jobClaims: new Counter({ ...r, name: "pa_job_claims_total", help: "Agent jobs claimed, by kind", labelNames: ["kind"] }),
    jobOutcomes: new Counter({ ...r, name: "pa_job_outcomes_total", help: "Agent job attempts ended by the agent: succeeded, requeued (retryable failure) or failed", labelNames: ["kind", "outcome"] }),
    leaseExpiries: new Counter({ ...r, name: "pa_job_lease_expiries_total", help: "Job leases that expired: requeued, or dead after the last attempt", labelNames: ["outcome"] }),
    slotsFired: new Counter({ ...r, name: "pa_schedule_slots_fired_total", help: "Schedule slots whose run started, by the schedule's pipeline and slot kind", labelNames: ["pipeline", "kind"] }),
    slotLateness: new Histogram({ ...r, name: "pa_schedule_slot_lateness_seconds", help: "How long after its slot time a scheduled run started, by the schedule's pipeline and slot kind", labelNames: ["pipeline", "kind"], buckets: LATENESS_SECONDS }),
    webhooksReceived: new Counter({ ...r, name: "pa_webhook_events_received_total", help: "Webhook deliveries by source and outcome (received, invalid, duplicate, rejected)", labelNames: ["source", "outcome"] }),
    triageMessages: new Counter({ ...r, name: "pa_triage_messages_total", help: "Messages triaged, by deciding stage, category and status (applied, review, none)", labelNames: ["stage", "category", "status"] }),
    triageUndos: new Counter({ ...r, name: "pa_triage_undos_total", help: "Triage changes undone" }),
    modelCalls: new Counter({ ...r, name: "pa_model_calls_total", help: "Model calls by area (chat areas, triage) and outcome", labelNames: ["area", "outcome"] }),
    modelTokens: new Counter({ ...r, name: "pa_model_tokens_total", help: "Model tokens by area and direction (input, output)", labelNames: ["area", "direction"] }),
    modelCost: new Counter({ ...r, name: "pa_model_cost_usd_total", help: "Model cost in US dollars by area (at the area's prices)", labelNames: ["area"] }),
    db: {
      up: new Gauge({ ...r, name: "pa_metrics_database_up", help: "1 when the scrape could read the database gauges" }),
      queueDepth: new Gauge({ ...r, name: "pa_job_queue_depth", help: "Queued agent jobs by kind (including ones waiting out a retry backoff)", labelNames: ["kind"] }),
      oldestAge: new Gauge({ ...r, name: "pa_job_queue_oldest_age_seconds", help: "Age of the oldest claimable queued job by kind (0 when none)", labelNames: ["kind"] }),
      claimed: new Gauge({ ...r, name: "pa_jobs_claimed", help: "Agent jobs currently held under a lease, by kind", labelNames: ["kind"] }),
      dead: new Gauge({ ...r, name: "pa_jobs_dead", help: "Agent jobs that ended failed or dead (out of attempts), by kind", labelNames: ["kind"] }),
      eventsWaiting: new Gauge({ ...r, name: "pa_webhook_events_waiting", help: "Stored webhook events not processed yet, by source", labelNames: ["source"] }),
      eventsFailed: new Gauge({ ...r, name: "pa_webhook_events_failed", help: "Webhook events whose last dispatch failed, waiting for an automatic retry, by source", labelNames: ["source"] }),
      eventsDead: new Gauge({ ...r, name: "pa_webhook_events_dead", help: "Webhook events out of automatic retries, waiting for a manual one, by source", labelNames: ["source"] }),
      reviewQueue: new Gauge({ ...r, name: "pa_triage_review_queue_size", help: "Triaged messages waiting in the review queue" }),
      agentLastSeen: new Gauge({ ...r, name: "pa_agent_last_seen_age_seconds", help: "Seconds since each enabled agent last called the API (since creation when never)", labelNames: ["agent"] }),
      agentWaiting: new Gauge({ ...r, name: "pa_agent_waiting_jobs", help: "Claimable queued jobs of the kinds each enabled agent may work on", labelNames: ["agent"] }),
      scheduleOverdue: new Gauge({ ...r, name: "pa_schedule_overdue_seconds", help: "How far past its next run time the most overdue enabled schedule of each pipeline is (0 when all are on time)", labelNames: ["pipeline"] }),
      schedulesOverdue: new Gauge({ ...r, name: "pa_schedules_overdue", help: "Enabled schedules past their next run time, by pipeline", labelNames: ["pipeline"] }),
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const globalForMetrics = globalThis as unknown as { __paMetrics?: Metrics };

export function metrics(): Metrics {
  globalForMetrics.__paMetrics ??= createMetrics();
  return globalForMetrics.__paMetrics;
}
