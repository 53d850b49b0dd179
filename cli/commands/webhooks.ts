import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Option } from "commander";
import { getConfig, resetConfigForTests } from "@/lib/config";
import { autocommit } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { EVENT_STATUSES, type EventDetailDto, type SourceDto } from "@/lib/events/dto";
import { listEventsQuery, listWebhookEvents } from "@/lib/events/list-events";
import {
  createWebhookSource,
  deleteWebhookSource,
  getWebhookSource,
  listWebhookSources,
  rotateWebhookSourceSecret,
  updateWebhookSource,
  type SourceWithSecret,
} from "@/lib/events/manage-sources";
import { createWebhookSubscription, deleteWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { retryWebhookEvent } from "@/lib/events/retry-event";
import { EVENT_TYPE_HEADER } from "@/lib/events/signature";
import { STANDARD_ID_HEADER, standardHeaders } from "@/lib/events/standard-signature";
import { openSigningSecret } from "@/lib/events/source-secret";
import { findSealedSecret } from "@/lib/events/sources.repository";
import type { RegisterCommands } from "../context";
import { whileRegistered } from "../registered-instance";
import { formatRelative, formatTable, formatUntil, plural } from "../format";
import { CLI_INVOCATION, type CliIo } from "../io";
import { parseJsonInput } from "../json-input";

// `pa webhooks …`: sources (who may send events, with which secret), subscriptions (which
// pipeline runs for which event), the received events, retries, and signing a test delivery.
// Everything goes through lib/events, the same services the API and the dashboard use.

const NOT_SHOWN_AGAIN = "This secret will not be shown again; give it to the sender now.";

/**
 * `npm start` keeps a generated key in DATA_DIR/encryption-key when ENCRYPTION_KEYS is unset; the
 * CLI seals and opens secrets with that same key (it never creates one: only the app does).
 */
function adoptLocalEncryptionKey(): void {
  const config = getConfig();
  if (config.encryptionKeys.length > 0) return;
  const file = path.join(config.dataDir, "encryption-key");
  if (!existsSync(file)) return; // requireEncryptionKeys() then explains what to set
  process.env.ENCRYPTION_KEYS = `local:${readFileSync(file, "utf8").trim()}`;
  resetConfigForTests();
}

function printSecret(io: CliIo, created: SourceWithSecret, verb: string): void {
  io.out(`${verb} webhook source ${created.source.name} (${created.source.id}).`);
  io.out(`Endpoint:  POST ${created.source.endpoint}`);
  io.out(`Secret:    ${created.secret}`);
  io.out(NOT_SHOWN_AGAIN);
  io.out(`Signature: ${created.signing.scheme}`);
  io.out(`Send a test event: ${CLI_INVOCATION} webhooks sign ${created.source.name} --body '{"type":"ping"}'`);
}

function printSources(io: CliIo, sources: SourceDto[]): void {
  if (sources.length === 0) {
    io.out(`No webhook sources yet. Create one with \`${CLI_INVOCATION} webhooks sources create <name>\`.`);
    return;
  }
  const rows = sources.map((s) => [
    s.name,
    s.enabled ? "enabled" : "disabled",
    `${s.toleranceSeconds} s`,
    String(s.subscriptions?.length ?? 0),
    String(s.counts?.events ?? 0),
    s.endpoint,
  ]);
  for (const line of formatTable(["NAME", "STATUS", "TOLERANCE", "SUBSCRIPTIONS", "EVENTS", "ENDPOINT"], rows)) io.out(line);
  for (const source of sources) {
    for (const sub of source.subscriptions ?? []) {
      io.out(`  ${source.name}  ${sub.id}  ${sub.eventType} -> ${sub.pipeline}${sub.enabled ? "" : " (paused)"}  ${JSON.stringify(sub.inputTemplate)}`);
    }
  }
}

function describeOutcome(event: EventDetailDto): string {
  const succeeded = event.dispatches.filter((d) => d.status === "succeeded").length;
  const base = `${event.id} is ${event.status}`;
  if (event.status === "processed") return `${base}: ${plural(succeeded, "pipeline")} succeeded.`;
  const outcome = event.error ? `${base}: ${event.error.message}` : `${base}.`;
  if (event.status === "failed" && event.nextAttemptAt) return `${outcome} It is retried on its own ${formatUntil(new Date(event.nextAttemptAt))}.`;
  if (event.status === "dead") return `${outcome} It is not retried on its own: fix the cause, then retry it.`;
  return outcome;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

export const registerWebhooksCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const connect = async () => {
    await context.connectDatabase();
    adoptLocalEncryptionKey();
  };
  const webhooks = program.command("webhooks").description("webhook sources, subscriptions and received events");
  const sources = webhooks.command("sources").description("the senders allowed to post events, each with a signing secret");

  sources
    .command("list")
    .summary("list sources and their subscriptions")
    .option("--json", "print JSON instead of a table (never includes secrets)")
    .action(async (options: { json?: boolean }) => {
      await connect();
      const all = await listWebhookSources();
      if (options.json) io.out(JSON.stringify(all, null, 2));
      else printSources(io, all);
    });

  sources
    .command("create")
    .summary("create a source; prints its signing secret once")
    .argument("<name>", "lowercase name; the endpoint is /api/webhooks/<name>")
    .option("--description <text>", "what sends to it")
    .option("--tolerance <seconds>", "how old (or far in the future) a signature's timestamp may be, 10-3600 (300 unless given)")
    .action(async (name: string, options: { description?: string; tolerance?: string }) => {
      await connect();
      const tolerance = options.tolerance === undefined ? undefined : Number(options.tolerance);
      printSecret(io, await createWebhookSource({ name, description: options.description, toleranceSeconds: tolerance }), "Created");
    });

  sources
    .command("rotate")
    .summary("replace a source's secret; prints the new one once")
    .description("Replace the signing secret. The old one stops working at once; the new one is printed once.")
    .argument("<name>", "the source")
    .action(async (name: string) => {
      await connect();
      printSecret(io, await rotateWebhookSourceSecret(name), "Rotated the secret of");
    });

  for (const [command, enabled] of [["enable", true], ["disable", false]] as const) {
    sources
      .command(command)
      .summary(enabled ? "accept deliveries again" : "refuse deliveries (404) without deleting anything")
      .argument("<name>", "the source")
      .action(async (name: string) => {
        await connect();
        const source = await updateWebhookSource(name, { enabled });
        io.out(`${enabled ? "Enabled" : "Disabled"} ${source.name}.`);
      });
  }

  sources
    .command("delete")
    .summary("delete a source, its subscriptions and its stored events")
    .argument("<name>", "the source")
    .action(async (name: string) => {
      await connect();
      await deleteWebhookSource(name);
      io.out(`Deleted ${name} with its subscriptions and stored events (their pipeline runs stay).`);
    });

  webhooks
    .command("subscribe")
    .summary("run a pipeline for a source's events")
    .description(
      'Run a pipeline for every event of <source> with the given type ("*" for all). The input template is a JSON object whose ' +
        'string values "$", "$.a.b" or "$.items[0]" are replaced by the event payload\'s value there ("$$…" is a literal "$…").',
    )
    .argument("<source>", "the source")
    .requiredOption("--event <type>", 'the event type, or "*" for every event')
    .requiredOption("--pipeline <name>", "the pipeline to run")
    .option("--input-template <json>", "the pipeline input, with $.paths into the payload", "{}")
    .action(async (source: string, options: { event: string; pipeline: string; inputTemplate: string }) => {
      const inputTemplate = parseJsonInput(options.inputTemplate, "--input-template");
      await connect();
      const sub = await createWebhookSubscription(source, { eventType: options.event, pipeline: options.pipeline, inputTemplate });
      io.out(`Subscribed ${sub.pipeline} to ${sub.eventType === "*" ? "every event" : `"${sub.eventType}" events`} of ${source} (${sub.id}).`);
    });

  webhooks
    .command("unsubscribe")
    .summary("remove a subscription")
    .argument("<subscription id>", "sub_… (see `webhooks sources list`)")
    .action(async (id: string) => {
      await connect();
      await deleteWebhookSubscription(id);
      io.out(`Removed subscription ${id}.`);
    });

  webhooks
    .command("events")
    .summary("list received events, newest first")
    .option("--source <name>", "only this source's events")
    .addOption(new Option("--status <status>", "only events with this status").choices([...EVENT_STATUSES]))
    .option("--limit <n>", "how many, 1-200 (50 unless given)")
    .option("--cursor <event id>", "start after this event (from the previous page)")
    .option("--json", "print JSON ({ events, nextCursor }) instead of a table")
    .action(async (options: { source?: string; status?: string; limit?: string; cursor?: string; json?: boolean }) => {
      const { json, ...filters } = options;
      const parsed = listEventsQuery.safeParse(filters);
      if (!parsed.success) throw validationError(parsed.error, "The filter");
      await connect();
      const page = await listWebhookEvents(parsed.data);
      if (json) {
        io.out(JSON.stringify(page, null, 2));
        return;
      }
      if (page.events.length === 0) {
        io.out(options.source || options.status || options.cursor ? "No events match." : "No events received yet.");
        return;
      }
      const now = new Date();
      const rows = page.events.map((e) => [
        e.id,
        formatRelative(new Date(e.receivedAt), now),
        e.source,
        e.eventType ?? "-",
        e.status,
        String(e.attempts),
        e.runs.map((r) => r.runId ?? r.status).join(",") || "-",
      ]);
      for (const line of formatTable(["ID", "RECEIVED", "SOURCE", "TYPE", "STATUS", "ATTEMPTS", "RUNS"], rows)) io.out(line);
      if (page.nextCursor) io.out(`More: ${CLI_INVOCATION} webhooks events --cursor ${page.nextCursor}`);
    });

  webhooks
    .command("retry")
    .summary("dispatch a failed or dead event again and wait for the outcome")
    .description(
      "Dispatch a failed or dead (or stuck) event again, here and now: its failed pipelines run once more, succeeded ones are not " +
        "repeated. Exits 1 when it fails again.",
    )
    .argument("<event id>", "evt_…")
    .action(async (id: string) => {
      await connect();
      const event = await whileRegistered(() => retryWebhookEvent(id, { inline: true }));
      if (event.status === "failed" || event.status === "dead") throw new AppError("run_failed", describeOutcome(event));
      io.out(describeOutcome(event));
    });

  webhooks
    .command("sign")
    .summary("print the headers of a signed test delivery")
    .description(
      "Sign a body for <source> as a sender would and print the headers and a curl command. The source's secret is opened " +
        "with this installation's ENCRYPTION_KEYS (it is never printed); with --secret-stdin the secret is read from standard " +
        "input instead (e.g. to check a sender's secret).",
    )
    .argument("<source>", "the source")
    .requiredOption("--body <json>", "the exact body to send (signed byte for byte)")
    .option("--event <type>", `the ${EVENT_TYPE_HEADER} header (the payload's "type" is used when absent)`)
    .option("--delivery <id>", `the ${STANDARD_ID_HEADER} header (a new UUID unless given)`)
    .option("--secret-stdin", "read the secret from standard input")
    .option("--json", "print JSON ({ url, headers, body })")
    .action(async (name: string, options: { body: string; event?: string; delivery?: string; secretStdin?: boolean; json?: boolean }) => {
      let secret = "";
      if (options.secretStdin) {
        if (!io.readStdin) throw new AppError("bad_request", "Standard input is not available here");
        secret = (await io.readStdin(`--secret-stdin reads the secret from a pipe, e.g. printf '%s' "$SECRET" | ${CLI_INVOCATION} webhooks sign ${name} --body '{}' --secret-stdin`)).trim();
        if (!secret) throw new AppError("bad_request", "No secret was given on standard input");
      }
      await connect();
      const source = await getWebhookSource(name);
      if (!options.secretStdin) {
        const sealed = await findSealedSecret(autocommit(), source.id);
        if (!sealed) throw new AppError("unavailable", `The source ${name} has no secret; rotate it`);
        secret = openSigningSecret(source.id, sealed);
      }
      const headers: Record<string, string> = {
        "content-type": "application/json",
        ...standardHeaders(secret, options.delivery ?? randomUUID(), options.body),
      };
      if (options.event) headers[EVENT_TYPE_HEADER] = options.event;
      if (options.json) {
        io.out(JSON.stringify({ url: source.endpoint, headers, body: options.body }, null, 2));
        return;
      }
      for (const [key, value] of Object.entries(headers)) io.out(`${key}: ${value}`);
      io.out("");
      io.out(`# Valid for ${source.toleranceSeconds} s:`);
      const flags = Object.entries(headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`);
      io.out(`curl -sS -X POST ${shellQuote(source.endpoint)} ${flags.join(" ")} --data ${shellQuote(options.body)}`);
    });
};
