import { z } from "zod";
import { deleteArea, getAreaWithSpend, updateArea } from "@/lib/chat/areas";
import { handle } from "@/lib/http/handler";

type Params = { slug: string };

export const GET = handle<Params>({ auth: "session", allow: "chat.use" }, async ({ params }) => ({ area: await getAreaWithSpend(params.slug) }));

export const PATCH = handle<Params>({ auth: "session", allow: "settings.manage" }, async ({ params, body }) => ({
  area: await updateArea(params.slug, await body(z.unknown())),
}));

export const DELETE = handle<Params>({ auth: "session", allow: "settings.manage" }, async ({ params }) => {
  await deleteArea(params.slug);
  return { deleted: { slug: params.slug } };
});
