import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import type { PublicUser } from "@/lib/users/repository";
import { areaPipelines, listAreas, type AreaRow } from "./areas";
import { getConversation, listConversations } from "./conversations";
import type { AreaSummary, ToolLabels } from "./messages";
import { toolNameOf } from "./tools";

// What the chat pages load on the server: the areas, the first page of conversations, and the
// names to show on tool cards.

export function areaSummary(area: AreaRow): AreaSummary {
  return { slug: area.slug, name: area.name, description: area.description, model: area.model, maxSteps: area.maxSteps };
}

export function toolLabels(areas: AreaRow[]): ToolLabels {
  const labels: ToolLabels = {};
  for (const area of areas) for (const p of areaPipelines(area)) labels[toolNameOf(p.name)] = { title: p.title, pipeline: p.name };
  return labels;
}

export async function loadChatPage(user: PublicUser, options: { areaSlug?: string; conversationId?: string }) {
  const areas = await listAreas();
  const [page, detail] = await Promise.all([
    listConversations(user, { limit: 30 }),
    options.conversationId
      ? getConversation(user, options.conversationId).catch((error: unknown) => {
          if (isAppError(error) && error.code === "not_found") notFound();
          throw error;
        })
      : null,
  ]);
  const slug = detail?.conversation.area.slug ?? options.areaSlug;
  const area = areas.find((a) => a.slug === slug) ?? areas.find((a) => a.slug === "general") ?? areas[0];
  if (!area) notFound();
  return { areas, area, page, detail };
}
