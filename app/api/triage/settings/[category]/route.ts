import { handle } from "@/lib/http/handler";
import { categoryFromPath, categorySettingBody } from "@/lib/triage/api";
import { saveCategorySetting } from "@/lib/triage/settings";

export const PUT = handle<{ category: string }>({ auth: "session", allow: "settings.manage" }, async ({ params, body, user }) => {
  const category = categoryFromPath(params.category);
  const input = await body(categorySettingBody);
  return { setting: await saveCategorySetting({ category, ...input }, user.id) };
});
