import { handle } from "@/lib/http/handler";
import { getCategorySettings, listCategorySettings } from "@/lib/triage/settings";

// What triage does with each category, and from which confidence on it does it without asking.
export const GET = handle({ auth: "session", allow: "activity.view" }, async () => ({ categories: listCategorySettings(await getCategorySettings()) }));
