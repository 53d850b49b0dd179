import { Prisma } from "@/generated/prisma/client";
import { getConfig } from "@/lib/config";
import { autocommit, withTransaction, type Tx } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { allPipelines, findPipeline } from "@/lib/pipelines/catalog";
import type { AnyPipeline } from "@/lib/pipelines/define";
import { ALL_PIPELINES, createAreaInput, updateAreaInput, type CreateAreaInput, type UpdateAreaInput } from "./area-input";
import * as areas from "./areas.repository";

// Areas: what each assistant is for and may do. Editable at run time; a fresh install gets four
// to start from (general, inbox, content, operations), created the first time anyone asks.

export type AreaRow = areas.AreaRow;

export type AreaWithSpend = AreaRow & { spentTodayUsd: number; turnsToday: number; conversations: number };

type DefaultArea = Omit<areas.AreaData, "model">;

const DEFAULT_LIMITS = { maxSteps: 8, turnBudgetUsd: 0.05, dailyBudgetUsd: 1, inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 };

const DEFAULT_AREAS: DefaultArea[] = [
  {
    slug: "general",
    name: "General",
    description: "The owner's general assistant, with every pipeline.",
    instructions:
      "You are the owner's general assistant. Use the context hub to ground what you say about the owner, " +
      "capture ideas as notes when asked, and prefer doing over describing. Say plainly when a tool failed.",
    pipelines: [ALL_PIPELINES],
    position: 0,
    ...DEFAULT_LIMITS,
  },
  {
    slug: "inbox",
    name: "Inbox",
    description: "Mail and messages: what needs an answer, what can wait, what to file.",
    instructions:
      "You help the owner keep their inbox under control. Triage new mail with email.triage (it labels, archives " +
      "and marks read only what it is sure of; the rest waits in the review queue on the Triage page), classify a " +
      "pasted email with email.classify, summarise briefly, propose actions, and capture follow-ups as notes. " +
      "Never promise to send or delete anything: you cannot.",
    pipelines: ["email.triage", "email.classify", "context.read", "context.search", "notes.capture", "notify.send"],
    position: 1,
    ...DEFAULT_LIMITS,
  },
  {
    slug: "content",
    name: "Content",
    description: "Writing and ideas: drafts, outlines, and the notes behind them.",
    instructions:
      "You help the owner write. Draw on the context hub for their voice and past work, keep drafts in the " +
      "owner's style, and capture ideas as notes tagged 'idea'.",
    pipelines: ["context.read", "context.search", "notes.capture"],
    position: 2,
    ...DEFAULT_LIMITS,
  },
  {
    slug: "operations",
    name: "Operations",
    description: "Running the platform: agent work, checks, and notifications.",
    instructions:
      "You help the owner run their automations. Create agent jobs for work an agent should do, check " +
      "connections with system.echo, and notify the owner of anything urgent.",
    pipelines: ["system.echo", "agent-jobs.create", "notify.send", "context.read"],
    position: 3,
    ...DEFAULT_LIMITS,
  },
];

/** Creates the starting areas when there are none (a fresh install). */
export async function ensureDefaultAreas(tx: Tx = autocommit()): Promise<void> {
  if ((await areas.countAreas(tx)) > 0) return;
  const model = getConfig().CHAT_DEFAULT_MODEL;
  await areas.insertMissingAreas(
    tx,
    DEFAULT_AREAS.map((area) => ({ ...area, model })),
  );
}

function startOfUtcDay(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export async function spentToday(areaId: string, now = new Date()): Promise<number> {
  return (await areas.spendSince(autocommit(), areaId, startOfUtcDay(now))).costUsd;
}

export async function listAreas(): Promise<AreaWithSpend[]> {
  await ensureDefaultAreas();
  const db = autocommit();
  const rows = await areas.listAreas(db);
  const since = startOfUtcDay();
  return Promise.all(
    rows.map(async (row) => {
      const [spend, conversations] = await Promise.all([areas.spendSince(db, row.id, since), areas.countConversations(db, row.id)]);
      return { ...row, spentTodayUsd: spend.costUsd, turnsToday: spend.turns, conversations };
    }),
  );
}

export async function getArea(slug: string): Promise<AreaRow> {
  await ensureDefaultAreas();
  const area = await areas.findArea(autocommit(), slug);
  if (!area) throw new AppError("not_found", `There is no area "${slug}"`);
  return area;
}

export async function getAreaWithSpend(slug: string): Promise<AreaWithSpend> {
  const area = await getArea(slug);
  const db = autocommit();
  const [spend, conversations] = await Promise.all([areas.spendSince(db, area.id, startOfUtcDay()), areas.countConversations(db, area.id)]);
  return { ...area, spentTodayUsd: spend.costUsd, turnsToday: spend.turns, conversations };
}

export async function createArea(input: CreateAreaInput | unknown): Promise<AreaRow> {
  const parsed = createAreaInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "Area");
  try {
    return await areas.insertArea(autocommit(), parsed.data);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `An area "${parsed.data.slug}" already exists`);
    }
    throw error;
  }
}

export async function updateArea(slug: string, input: UpdateAreaInput | unknown): Promise<AreaRow> {
  const parsed = updateAreaInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "Area");
  await ensureDefaultAreas();
  return withTransaction(async (tx) => {
    if (!(await areas.findArea(tx, slug))) throw new AppError("not_found", `There is no area "${slug}"`);
    return areas.updateArea(tx, slug, parsed.data as Partial<areas.AreaData>);
  });
}

/** Deletes an area that has no conversations (they would lose their assistant). */
export async function deleteArea(slug: string): Promise<void> {
  await withTransaction(async (tx) => {
    const area = await areas.findArea(tx, slug);
    if (!area) throw new AppError("not_found", `There is no area "${slug}"`);
    const conversations = await areas.countConversations(tx, area.id);
    if (conversations > 0) {
      throw new AppError("conflict", `The area "${slug}" has ${conversations} conversation(s); delete them first`);
    }
    await areas.deleteArea(tx, slug);
  });
}

/** The editable fields of an area, as the area form shows them. */
export function areaFormValues(area: AreaRow) {
  const { slug, name, description, instructions, pipelines, model, maxSteps, turnBudgetUsd, dailyBudgetUsd, inputUsdPerMTok, outputUsdPerMTok } = area;
  return { slug, name, description, instructions, pipelines, model, maxSteps, turnBudgetUsd, dailyBudgetUsd, inputUsdPerMTok, outputUsdPerMTok };
}

/** The pipelines an area's assistant may call, resolved against the registry as it is now. */
export function areaPipelines(area: Pick<AreaRow, "pipelines">): AnyPipeline[] {
  if (area.pipelines.includes(ALL_PIPELINES)) return allPipelines();
  return area.pipelines.map(findPipeline).filter((p): p is AnyPipeline => p !== null);
}

/**
 * For each pipeline, the slugs of the areas whose assistants may call it, read from the areas as
 * configured (an area's pipeline list, "*" meaning all): the one answer the Pipelines and Areas pages
 * share. ["*"] when every area offers it.
 */
export async function areasOfferingPipelines(): Promise<Map<string, string[]>> {
  const rows = await listAreaRows();
  const offering = new Map<string, string[]>();
  for (const pipeline of allPipelines()) {
    const slugs = rows.filter((area) => areaAllows(area, pipeline.name)).map((area) => area.slug);
    offering.set(pipeline.name, rows.length > 0 && slugs.length === rows.length ? ["*"] : slugs);
  }
  return offering;
}

async function listAreaRows(): Promise<AreaRow[]> {
  await ensureDefaultAreas();
  return areas.listAreas(autocommit());
}

export function areaAllows(area: Pick<AreaRow, "pipelines">, pipelineName: string): boolean {
  return area.pipelines.includes(ALL_PIPELINES) || area.pipelines.includes(pipelineName);
}
