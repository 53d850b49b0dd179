import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { toSubscriptionDto, type SubscriptionDto } from "@/lib/events/dto";
import { validateInputTemplate } from "@/lib/events/input-template";
import { requireSource } from "@/lib/events/manage-sources";
import * as sources from "@/lib/events/sources.repository";
import { newId } from "@/lib/ids";
import { findPipeline } from "@/lib/pipelines/catalog";

// Subscriptions: which pipeline runs for which events of a source, and how the payload becomes
// its input (see input-template.ts for the template language).

const eventTypeSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('An exact event type (x-pa-event header, or the payload\'s "type"), or "*" for every event');

const pipelineSchema = z.string().trim().min(1).max(100);

export const createSubscriptionInput = z
  .object({
    eventType: eventTypeSchema,
    pipeline: pipelineSchema,
    inputTemplate: z
      .unknown()
      .default({})
      .describe('JSON object; string values "$", "$.a.b" or "$.items[0]" are replaced by the payload\'s value there'),
    enabled: z.boolean().default(true),
  })
  .meta({ id: "CreateWebhookSubscriptionRequest" });

export const updateSubscriptionInput = z
  .object({
    eventType: eventTypeSchema.optional(),
    pipeline: pipelineSchema.optional(),
    inputTemplate: z.unknown().optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "UpdateWebhookSubscriptionRequest" });

function checkPipeline(name: string): void {
  if (!findPipeline(name)) {
    throw new AppError("validation_failed", `There is no pipeline named "${name}"`, {
      issues: [{ path: "pipeline", message: `there is no pipeline named "${name}"` }],
    });
  }
}

function checkTemplate(template: unknown): Prisma.InputJsonValue {
  try {
    return validateInputTemplate(template) as Prisma.InputJsonValue;
  } catch (error) {
    if (error instanceof AppError) {
      const issues = ((error.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? []).map((i) => ({
        path: i.path ? `inputTemplate.${i.path}` : "inputTemplate",
        message: i.message,
      }));
      throw new AppError("validation_failed", error.message, { issues });
    }
    throw error;
  }
}

export async function createWebhookSubscription(sourceName: string, raw: z.input<typeof createSubscriptionInput>): Promise<SubscriptionDto> {
  const parsed = createSubscriptionInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "Subscription");
  const source = await requireSource(sourceName);
  checkPipeline(parsed.data.pipeline);
  const inputTemplate = checkTemplate(parsed.data.inputTemplate);
  const row = await withTransaction((tx) =>
    sources.insertSubscription(tx, {
      id: newId("sub"),
      sourceId: source.id,
      eventType: parsed.data.eventType,
      pipeline: parsed.data.pipeline,
      inputTemplate,
      enabled: parsed.data.enabled,
    }),
  );
  return toSubscriptionDto(row);
}

async function requireSubscription(id: string, sourceName?: string): Promise<sources.SubscriptionRow> {
  const subscription = await sources.findSubscription(autocommit(), id);
  const notFound = new AppError("not_found", `There is no subscription ${id}${sourceName ? ` on the source "${sourceName}"` : ""}`);
  if (!subscription) throw notFound;
  if (sourceName) {
    const source = await requireSource(sourceName);
    if (source.id !== subscription.sourceId) throw notFound;
  }
  return subscription;
}

/** Changes a subscription; an event that failed with the old template can then be retried. */
export async function updateWebhookSubscription(
  id: string,
  raw: z.input<typeof updateSubscriptionInput>,
  sourceName?: string,
): Promise<SubscriptionDto> {
  const parsed = updateSubscriptionInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "Subscription");
  const subscription = await requireSubscription(id, sourceName);
  const { inputTemplate, ...rest } = parsed.data;
  if (rest.pipeline) checkPipeline(rest.pipeline);
  const data = { ...rest, ...(inputTemplate !== undefined ? { inputTemplate: checkTemplate(inputTemplate) } : {}) };
  return toSubscriptionDto(await withTransaction((tx) => sources.updateSubscription(tx, subscription.id, data)));
}

/** Deletes a subscription with its dispatch records (the runs stay); disable it to keep them. */
export async function deleteWebhookSubscription(id: string, sourceName?: string): Promise<{ deleted: true; id: string }> {
  const subscription = await requireSubscription(id, sourceName);
  await withTransaction((tx) => sources.deleteSubscription(tx, subscription.id));
  return { deleted: true, id: subscription.id };
}
