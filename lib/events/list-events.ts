import { z } from "zod";
import { autocommit } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { EVENT_STATUSES, toEventDetailDto, toEventSummaryDto, type EventDetailDto, type EventSummaryDto } from "@/lib/events/dto";
import * as events from "@/lib/events/events.repository";
import { findSourceByName } from "@/lib/events/sources.repository";

// Reading received events: a filtered, cursor-paginated list, and one event in full.

const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EVENT_STATUSES)));

export const listEventsQuery = z.object({
  source: z.string().max(100).optional().describe("A source name"),
  status: statusList.optional().describe("One or more statuses, comma-separated"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^evt_[0-9a-z]{26}$/, "is not an event cursor").optional(),
});

export type ListEventsQuery = z.infer<typeof listEventsQuery>;

export async function listWebhookEvents(query: ListEventsQuery): Promise<{ events: EventSummaryDto[]; nextCursor: string | null }> {
  const db = autocommit();
  let sourceId: string | undefined;
  if (query.source) {
    const source = await findSourceByName(db, query.source);
    if (!source) return { events: [], nextCursor: null };
    sourceId = source.id;
  }
  // One extra row tells whether there is a next page.
  const rows = await events.listEvents(db, { sourceId, status: query.status }, query.limit + 1, query.cursor);
  const page = rows.slice(0, query.limit);
  return { events: page.map(toEventSummaryDto), nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null };
}

export async function getWebhookEvent(id: string): Promise<EventDetailDto> {
  const row = await events.findEventDetail(autocommit(), id);
  if (!row) throw new AppError("not_found", `There is no webhook event ${id}`);
  return toEventDetailDto(row);
}
