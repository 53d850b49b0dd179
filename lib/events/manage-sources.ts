import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { getConfig } from "@/lib/config";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError, validationError } from "@/lib/errors";
import { toSourceDto, type SourceDto } from "@/lib/events/dto";
import { signingExamples, STANDARD_SCHEME, type SigningExamples } from "@/lib/events/signing-examples";
import { STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER } from "@/lib/events/standard-signature";
import { SOURCE_NAME_PATTERN, SOURCE_NAME_RULE } from "@/lib/events/source-name";
import { generateSigningSecret, sealSigningSecret } from "@/lib/events/source-secret";
import * as sources from "@/lib/events/sources.repository";
import { DEFAULT_TOLERANCE_SECONDS, EVENT_TYPE_HEADER } from "@/lib/events/signature";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";

// Webhook sources: the senders allowed to post events, each with its own signing secret. The
// secret is generated here and returned once, by create and by rotate; afterwards it exists only
// sealed in the database.

export const sourceNameSchema = z.string().trim().regex(SOURCE_NAME_PATTERN, `must be ${SOURCE_NAME_RULE}`);

export const createSourceInput = z
  .object({
    name: sourceNameSchema.describe("The <source> in /api/webhooks/<source>"),
    description: z.string().trim().max(500).optional(),
    toleranceSeconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(DEFAULT_TOLERANCE_SECONDS)
      .describe("How far a signature's timestamp may be from now, in seconds, before it is refused as a replay"),
  })
  .meta({ id: "CreateWebhookSourceRequest" });

export const updateSourceInput = z
  .object({
    enabled: z.boolean().optional(),
    description: z.string().trim().max(500).nullable().optional(),
    toleranceSeconds: z.number().int().min(10).max(3600).optional(),
  })
  .meta({ id: "UpdateWebhookSourceRequest" });

export type SourceWithSecret = {
  source: SourceDto;
  /** Shown once: store it with the sender now. */
  secret: string;
  signing: { header: string; deliveryHeader: string; eventTypeHeader: string; scheme: string; examples: SigningExamples };
};

const appUrl = () => getConfig().APP_URL;

function withSecret(source: SourceDto, secret: string): SourceWithSecret {
  return {
    source,
    secret,
    signing: {
      header: STANDARD_SIGNATURE_HEADER,
      deliveryHeader: STANDARD_ID_HEADER,
      eventTypeHeader: EVENT_TYPE_HEADER,
      scheme: STANDARD_SCHEME,
      examples: signingExamples(source.endpoint, secret),
    },
  };
}

export async function requireSource(name: string): Promise<sources.SourceRow> {
  const source = await sources.findSourceByName(autocommit(), name.trim());
  if (!source) throw new AppError("not_found", `There is no webhook source named "${name}"`);
  return source;
}

export async function createWebhookSource(raw: z.input<typeof createSourceInput>): Promise<SourceWithSecret> {
  const parsed = createSourceInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "Webhook source");
  const { name, description, toleranceSeconds } = parsed.data;
  const id = newId("src");
  const secret = generateSigningSecret();
  const secretEncrypted = sealSigningSecret(id, secret);
  try {
    const row = await withTransaction((tx) =>
      sources.insertSource(tx, { id, name, description: description || null, toleranceSeconds, secretEncrypted }),
    );
    getLogger({ component: "webhooks", source: name }).info({ sourceId: id }, "webhook source created");
    return withSecret(toSourceDto(row, appUrl(), { subscriptions: [] }), secret);
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `A webhook source named "${name}" already exists`);
    }
    throw error;
  }
}

/** A new secret, returned once; the old one stops working at once. */
export async function rotateWebhookSourceSecret(name: string): Promise<SourceWithSecret> {
  const source = await requireSource(name);
  const secret = generateSigningSecret();
  const secretEncrypted = sealSigningSecret(source.id, secret);
  const row = await withTransaction((tx) => sources.updateSource(tx, source.id, { secretEncrypted }));
  getLogger({ component: "webhooks", source: source.name }).info("webhook source secret rotated");
  const subscriptions = await sources.listSubscriptions(autocommit(), [source.id]);
  return withSecret(toSourceDto(row, appUrl(), { subscriptions }), secret);
}

export async function listWebhookSources(): Promise<SourceDto[]> {
  const db = autocommit();
  const rows = await sources.listSources(db);
  const subscriptions = await sources.listSubscriptions(db, rows.map((r) => r.id));
  return rows.map(({ _count, ...row }) =>
    toSourceDto(row, appUrl(), { subscriptions: subscriptions.filter((s) => s.sourceId === row.id), counts: _count }),
  );
}

export async function getWebhookSource(name: string): Promise<SourceDto> {
  const source = await requireSource(name);
  const subscriptions = await sources.listSubscriptions(autocommit(), [source.id]);
  return toSourceDto(source, appUrl(), { subscriptions });
}

export async function updateWebhookSource(name: string, raw: z.input<typeof updateSourceInput>): Promise<SourceDto> {
  const parsed = updateSourceInput.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error, "Webhook source");
  const source = await requireSource(name);
  const { description, ...rest } = parsed.data;
  const row = await withTransaction((tx) =>
    sources.updateSource(tx, source.id, { ...rest, ...(description !== undefined ? { description: description || null } : {}) }),
  );
  const subscriptions = await sources.listSubscriptions(autocommit(), [source.id]);
  return toSourceDto(row, appUrl(), { subscriptions });
}

/** Deletes the source with its subscriptions and its stored events (the pipeline runs stay). */
export async function deleteWebhookSource(name: string): Promise<{ deleted: true; name: string }> {
  const source = await requireSource(name);
  await withTransaction((tx) => sources.deleteSource(tx, source.id));
  getLogger({ component: "webhooks", source: source.name }).info("webhook source deleted");
  return { deleted: true, name: source.name };
}
