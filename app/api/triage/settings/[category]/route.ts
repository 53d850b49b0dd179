import { handle } from "@/lib/http/handler";
import { categoryFromPath, categorySettingBody } from "@/lib/triage/api";
import { saveCategorySetting } from "@/lib/triage/settings";
import { jsonBody, jsonResponse, pathParameter } from "@/lib/openapi/operations";
import { settingResponseSchema } from "@/lib/triage/api-schemas";
import { triageCategorySchema } from "@/lib/triage/categories";

export const PUT = handle<{ category: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "saveTriageCategorySetting",
    summary: "Change what triage does with a category",
    description: "Nothing here deletes or sends mail: a label, archive (remove from the inbox) and mark read. Takes effect from the next sync.",
    tags: ["triage"],
    parameters: [pathParameter("category", "The category", triageCategorySchema)],
    requestBody: jsonBody(categorySettingBody),
    responses: { "200": jsonResponse("The setting", settingResponseSchema), "400": "BadRequest", "404": "NotFound" },
  },
}, async ({ params, body, user }) => {
  const category = categoryFromPath(params.category);
  const input = await body(categorySettingBody);
  return { setting: await saveCategorySetting({ category, ...input }, user.id) };
});
