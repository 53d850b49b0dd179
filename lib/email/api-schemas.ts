import { z } from "zod";
import type { listAccounts } from "@/lib/email/accounts";
import { emailAccountDtoSchema } from "@/lib/email/accounts";
import { REQUEST_ID_HEADER } from "@/lib/http/handler";
import { ref } from "@/lib/openapi/operations";
import type { Exactly, Expect, Returned } from "@/lib/openapi/types";

// The response shapes (zod) and shared declaration parts that these routes' handle() declarations
// use for the OpenAPI document.
//
// Connected Gmail accounts: connecting one is two browser navigations (to Google's consent screen
// and back), so those two operations answer redirects, not JSON.

export const accountListSchema = z.object({
  accounts: z.array(emailAccountDtoSchema).describe("By address; never any token"),
  googleConfigured: z.boolean().describe("True when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set, i.e. an account can be connected"),
});
export const accountResponseSchema = z.object({ account: emailAccountDtoSchema });
export const pushAnswerSchema = z.object({
  notificationId: z.string().describe("gpn_…"),
  status: z.enum(["received", "ignored", "processed", "failed"]),
  duplicate: z.literal(true).optional().describe("Set when this Pub/Sub message id was received before; nothing is dispatched again"),
  requestId: z.string(),
});

export type _EmailShapeChecks = [Expect<Exactly<z.infer<typeof accountListSchema>["accounts"], Returned<typeof listAccounts>>>];

export const redirect = (description: string, target: string) => ({
  description,
  headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId"), location: { description: target, schema: { type: "string" } } },
});
