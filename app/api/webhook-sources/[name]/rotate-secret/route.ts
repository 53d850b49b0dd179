import { handle } from "@/lib/http/handler";
import { rotateWebhookSourceSecret } from "@/lib/events/manage-sources";
import { jsonResponse } from "@/lib/openapi/operations";
import { sourceName, sourceWithSecretSchema } from "@/lib/events/api-schemas";

/** A new signing secret, returned once; the old one stops working at once. */
export const POST = handle<{ name: string }>({
  auth: "session",
  allow: "settings.manage",
  openapi: {
    operationId: "rotateWebhookSourceSecret",
    summary: "Replace a source's signing secret",
    description: "The new secret is shown this once; the old one stops working at once.",
    tags: ["webhooks"],
    parameters: [sourceName],
    responses: { "200": jsonResponse("The source and its new secret", sourceWithSecretSchema), "404": "NotFound" },
  },
}, async ({ params }) => rotateWebhookSourceSecret(params.name));
