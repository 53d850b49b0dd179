import { handle } from "@/lib/http/handler";
import { rotateWebhookSourceSecret } from "@/lib/events/manage-sources";

/** A new signing secret, returned once; the old one stops working at once. */
export const POST = handle<{ name: string }>({ auth: "session", allow: "settings.manage" }, async ({ params }) => rotateWebhookSourceSecret(params.name));
