import { mkdtemp, rm, utimes } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { captureNote } from "@/lib/context-hub/capture-note";
import { readContext } from "@/lib/context-hub/read-context";
import { searchContext } from "@/lib/context-hub/search-context";
import { SEED_FILES } from "@/lib/context-hub/seed-content";
import { seedContextHub } from "@/lib/context-hub/seed-hub";
import { isAppError } from "@/lib/errors";
import type { Actor, AnyPipeline, RunTriggerName } from "@/lib/pipelines/define";
import type { RunError } from "@/lib/pipelines/runner";
import type { Rng } from "./random";

// What runs of each registered pipeline look like, for the demo history. Outputs and error
// messages are not written by hand: each sample input is run through the same lib/ functions the
// pipeline calls, against a scratch copy of the demo context hub, so the history agrees with the
// hub `db seed` writes and stays true when those functions change.

/** A scratch copy of the demo hub; its files look written before the oldest seeded run. */
export type DemoHub = { root: string; writtenAt: Date };

export async function openDemoHub(writtenAt: Date): Promise<DemoHub & { close(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), "pa-seed-hub-"));
  await seedContextHub(root);
  await Promise.all(Object.keys(SEED_FILES).map((file) => utimes(path.join(root, ...file.split("/")), writtenAt, writtenAt)));
  return { root, writtenAt, close: () => rm(root, { recursive: true, force: true }) };
}

export type SampleRun = { runId: string; actor: Actor; trigger: RunTriggerName; startedAt: Date };

type Samples = {
  /** How long a successful run typically takes, in ms. */
  durationMs: readonly [number, number];
  /** An input this caller would send; it succeeds against the demo hub. */
  input(rng: Rng, actor: Actor): unknown;
  /** Inputs that fail against the demo hub (outside it, missing files, wrong tier…). */
  failingInputs: readonly unknown[];
  /** Failures caused by the machine rather than the input. */
  machineFailures: readonly RunError[];
  /** What the pipeline does with its parsed input. */
  execute(input: never, hub: DemoHub, run: SampleRun): Promise<unknown>;
};

const existing = (paths: readonly string[]) => {
  const found = paths.filter((p) => Object.hasOwn(SEED_FILES, p) || Object.keys(SEED_FILES).some((f) => f.startsWith(`${p}/`)));
  return found.length > 0 ? found : ["soul.md"];
};

const READ_FILES = existing([
  "soul.md",
  "identity/goals.md",
  "areas/clients/northwind-freight.md",
  "areas/clients/harbor-dental.md",
  "areas/content/voice-guide.md",
  "areas/content/content-calendar.md",
  "projects/email-triage-agent/plan.md",
  "knowledge/sops/weekly-review.md",
  "knowledge/sops/publish-newsletter.md",
]);
const READ_FOLDERS = existing(["areas", "areas/clients", "areas/content", "projects/email-triage-agent", "knowledge/sops", "inbox"]);

const SEARCHES = ["Northwind", "newsletter", "weekly review", "Harbor Dental", "triage", "Fridays", "proposal", "deep work", "LinkedIn"];

type Note = { title: string; body: string; tags: string[]; source?: string };
const note = (title: string, body: string, tags: string[], source?: string): Note => ({ title, body, tags, ...(source ? { source } : {}) });

const NOTES: Note[] = [
  note(
    "Northwind weekly sync: quote triage numbers",
    "- 212 quote requests last week, 81% auto-labelled correctly\n- They want a Monday summary email\n- Next: measure time saved per planner",
    ["northwind", "call-notes"],
  ),
  note("Idea: a newsletter issue on boring AI", "Angle: the best automation is the one nobody notices.", ["content", "idea"]),
  note(
    "Shape Up, chapters 3-4",
    "Appetite before estimates. Fixed time, variable scope fits client pilots well.",
    ["reading"],
    "https://basecamp.com/shapeup",
  ),
  note("Follow up with Harbor Dental on the reminder bot", "Ask for no-show numbers since the pilot started.", ["harbor-dental"]),
  note("Long run felt easy at 5:40/km", "18 km, HR average 148. Keep Sunday long runs at this pace.", ["health", "training"]),
  note("Podcast: evals for small teams", "Start with 20 hand-labelled cases; grow the set from real failures.", ["ai", "evals"], "podcast"),
  note("Triage agent: undo must be one click", "Every label the agent applies needs a visible undo in the digest.", ["triage-agent"]),
  note("LinkedIn post draft: what 81% accuracy means", "", ["content", "draft"]),
];

const SAMPLES: Record<string, Samples> = {
  "system.echo": {
    durationMs: [1, 6],
    input: (rng, actor) => ({
      message: rng.pick(actor.type === "agent" ? ["ping", `hello from ${actor.label}`] : ["ping", "connection test"]),
    }),
    failingInputs: [],
    machineFailures: [],
    async execute(input: { message: string }, _hub, run) {
      return { message: input.message, actor: run.actor.label, trigger: run.trigger, serverTime: run.startedAt.toISOString() };
    },
  },
  "context.read": {
    durationMs: [3, 45],
    input: (rng) =>
      rng.weighted([
        [4, { tier: "abstracts" }],
        [2, { tier: "overview", path: rng.pick(READ_FOLDERS) }],
        [1, { tier: "overview", path: rng.pick(READ_FILES) }],
        [5, { tier: "full", path: rng.pick(READ_FILES) }],
      ]),
    failingInputs: [
      { tier: "full", path: "../.env" },
      { tier: "full", path: "areas/clients/acme-logistics.md" },
      { tier: "full", path: "areas/clients" },
      { tier: "full", path: ".obsidian/workspace.json" },
      { tier: "abstracts", path: "soul.md" },
    ],
    machineFailures: [],
    async execute(input: { tier: "abstracts" | "overview" | "full"; path: string; depth: number; includeArchive: boolean }, hub) {
      const { tier, path: at, depth, includeArchive } = input;
      if (tier === "abstracts") return readContext(hub.root, { tier, path: at, depth, includeArchive });
      if (tier === "overview") return readContext(hub.root, { tier, path: at, includeArchive });
      return readContext(hub.root, { tier, path: at });
    },
  },
  "context.search": {
    durationMs: [12, 380],
    input: (rng) => (rng.next() < 0.8 ? { query: rng.pick(SEARCHES) } : { query: rng.pick(SEARCHES), path: "areas" }),
    failingInputs: [
      { query: "pricing", path: "projects/pricing-page" },
      { query: "invoice", path: "areas/finance" },
    ],
    machineFailures: [],
    async execute(input: { query: string; path: string; limit: number; caseSensitive: boolean; includeArchive: boolean }, hub) {
      return searchContext(hub.root, input);
    },
  },
  "notes.capture": {
    durationMs: [6, 30],
    input: (rng) => rng.pick(NOTES),
    failingInputs: [],
    machineFailures: [{ code: "pipeline_error", message: "ENOSPC: no space left on device, write" }],
    async execute(input: { title: string; body: string; tags: string[]; source?: string }, hub, run) {
      const note = await captureNote(
        hub.root,
        { ...input, tags: [...new Set(input.tags)] },
        { capturedBy: run.actor.label, runId: run.runId, now: run.startedAt },
      );
      await utimes(path.join(hub.root, ...note.path.split("/")), run.startedAt, run.startedAt);
      return note;
    },
  },
};

/** The registered pipelines the demo history covers. */
export function sampledPipelines(pipelines: AnyPipeline[]): AnyPipeline[] {
  return pipelines.filter((p) => Object.hasOwn(SAMPLES, p.name));
}

export function typicalDurationMs(pipeline: AnyPipeline, rng: Rng): number {
  const [min, max] = SAMPLES[pipeline.name]!.durationMs;
  return rng.int(min, max);
}

export type SampledOutcome = { input: unknown } & ({ output: unknown; error?: undefined } | { error: RunError; output?: undefined });

/** Runs the input through what the pipeline does: its output, or the error a user would have seen. */
export async function attempt(pipeline: AnyPipeline, rawInput: unknown, hub: DemoHub, run: SampleRun): Promise<SampledOutcome> {
  const input: unknown = pipeline.input.parse(rawInput);
  try {
    const output: unknown = pipeline.output.parse(await SAMPLES[pipeline.name]!.execute(input as never, hub, run));
    return { input, output };
  } catch (error) {
    if (isAppError(error)) return { input, error: error.toJSON() };
    throw error;
  }
}

export function typicalInput(pipeline: AnyPipeline, rng: Rng, actor: Actor): unknown {
  return SAMPLES[pipeline.name]!.input(rng, actor);
}

/** A failure of this pipeline: a real one from a failing input, or one caused by the machine. */
export async function failure(pipeline: AnyPipeline, rng: Rng, hub: DemoHub, run: SampleRun): Promise<SampledOutcome | null> {
  const samples = SAMPLES[pipeline.name]!;
  const choices = [...samples.failingInputs.map((input) => ({ input })), ...samples.machineFailures.map((error) => ({ error }))];
  if (choices.length === 0) return null;
  const choice = rng.pick(choices);
  if ("input" in choice) return attempt(pipeline, choice.input, hub, run);
  return { input: pipeline.input.parse(samples.input(rng, run.actor)), error: choice.error };
}
