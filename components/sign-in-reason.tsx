import { Badge } from "@/components/ui/badge";

const REASONS: Record<string, string> = {
  bad_credentials: "wrong email or password",
  rate_limited: "rate limited",
  disabled: "account disabled",
  no_account: "no such account",
  email_not_verified: "email not verified",
};

export function SignInOutcome({ success, reason }: { success: boolean; reason: string | null }) {
  if (success) return <Badge tone="green">signed in</Badge>;
  return <Badge tone={reason === "rate_limited" ? "amber" : "red"}>{REASONS[reason ?? ""] ?? reason ?? "failed"}</Badge>;
}
