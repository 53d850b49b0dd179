import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { SHELL_SIGNING_LINES, signingExamples } from "@/lib/events/signing-examples";
import { generateSigningSecret } from "@/lib/events/source-secret";
import { standardSignature } from "@/lib/events/standard-signature";

// The examples a sender copies must produce signatures the endpoint accepts.

describe("signing examples", () => {
  it("the shell lines compute the Standard Webhooks signature the endpoint expects", () => {
    const secret = generateSigningSecret();
    const body = '{"type":"ping","message":"hello"}';
    const script = [`SECRET='${secret}'`, `BODY='${body}'`, ...SHELL_SIGNING_LINES, `printf '%s %s %s' "$ID" "$T" "$SIG"`].join("\n");
    const [id, t, sig] = execFileSync("bash", ["-c", script], { encoding: "utf8" }).split(" ");
    expect(`v1,${sig}`).toBe(standardSignature(secret, id!, Number(t), body));
  });

  it("new secrets work with the standardwebhooks library as the node example uses it", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const now = new Date();
    expect(new Webhook(secret).sign("msg_1", now, "{}")).toBe(standardSignature(secret, "msg_1", Math.floor(now.getTime() / 1000), "{}"));
    expect(signingExamples("http://localhost:3000/api/webhooks/x", secret).node).toContain(`new Webhook("${secret}")`);
  });
});
