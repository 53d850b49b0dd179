import { handle } from "@/lib/http/handler";
import { getMessageDetail } from "@/lib/triage/api";
import { reviewInputSchema, reviewMessage } from "@/lib/triage/review";

// The owner's decision on a message: confirm or correct the category, optionally as a sender rule;
// the category's actions are applied in Gmail as the owner's.
export const POST = handle<{ id: string }>({ auth: "session", allow: "work.run" }, async ({ params, body, user }) => {
  const input = await body(reviewInputSchema);
  const review = await reviewMessage(params.id, input, { actor: `user:${user.id}`, userId: user.id });
  const { message } = await getMessageDetail(params.id);
  return { review, message };
});
