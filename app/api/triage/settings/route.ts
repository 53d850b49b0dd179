import { handle } from "@/lib/http/handler";
import { getCategorySettings, listCategorySettings } from "@/lib/triage/settings";
import { jsonResponse } from "@/lib/openapi/operations";
import { settingsSchema } from "@/lib/triage/api-schemas";

// What triage does with each category, and from which confidence on it does it without asking.
export const GET = handle({
  auth: "session",
  allow: "activity.view",
  openapi: {
    operationId: "listTriageCategorySettings",
    summary: "What triage does with each category, and its threshold",
    tags: ["triage"],
    responses: { "200": jsonResponse("Every category's setting", settingsSchema) },
  },
}, async () => ({ categories: listCategorySettings(await getCategorySettings()) }));
