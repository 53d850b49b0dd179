import { EVENT_TYPE_HEADER } from "@/lib/events/signature";
import { STANDARD_ID_HEADER, STANDARD_SIGNATURE_HEADER, STANDARD_TIMESTAMP_HEADER } from "@/lib/events/standard-signature";

// Ready-to-paste senders for a source, shown with its secret at creation and rotation (and
// without it afterwards). They sign with Standard Webhooks and are the reference for the README.
// lib/events/signing-examples.test.ts runs the shell one and checks its signature.

export type SigningExamples = { curl: string; node: string };

export const STANDARD_SCHEME =
  `Standard Webhooks: ${STANDARD_SIGNATURE_HEADER}: v1,<base64 HMAC-SHA256(key, "<${STANDARD_ID_HEADER}>.<${STANDARD_TIMESTAMP_HEADER}>.<raw body>")>, ` +
  "key = the secret after whsec_, base64-decoded";

/** The shell lines that compute ID, T and SIG for $SECRET and $BODY (tested on their own). */
export const SHELL_SIGNING_LINES = [
  `ID=$(openssl rand -hex 16)`,
  `T=$(date +%s)`,
  `KEY=$(printf '%s' "\${SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \\n')`,
  `SIG=$(printf '%s.%s.%s' "$ID" "$T" "$BODY" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" -binary | base64)`,
];

export function signingExamples(endpoint: string, secret?: string): SigningExamples {
  const secretValue = secret ?? "whsec_…your source's secret…";
  const curl = [
    `SECRET='${secretValue}'`,
    `BODY='{"type":"ping","message":"hello"}'`,
    ...SHELL_SIGNING_LINES,
    `curl -sS -X POST '${endpoint}' \\`,
    `  -H 'content-type: application/json' \\`,
    `  -H '${EVENT_TYPE_HEADER}: ping' \\`,
    `  -H "${STANDARD_ID_HEADER}: $ID" \\`,
    `  -H "${STANDARD_TIMESTAMP_HEADER}: $T" \\`,
    `  -H "${STANDARD_SIGNATURE_HEADER}: v1,$SIG" \\`,
    `  --data "$BODY"`,
  ].join("\n");
  const node = [
    `import { randomUUID } from "node:crypto";`,
    `import { Webhook } from "standardwebhooks"; // npm install standardwebhooks`,
    ``,
    `const webhook = new Webhook(${JSON.stringify(secretValue)});`,
    `const body = JSON.stringify({ type: "ping", message: "hello" });`,
    `const id = randomUUID(); // the same id on every retry of this delivery`,
    `const now = new Date();`,
    `const res = await fetch(${JSON.stringify(endpoint)}, {`,
    `  method: "POST",`,
    `  headers: {`,
    `    "content-type": "application/json",`,
    `    "${EVENT_TYPE_HEADER}": "ping",`,
    `    "${STANDARD_ID_HEADER}": id,`,
    `    "${STANDARD_TIMESTAMP_HEADER}": String(Math.floor(now.getTime() / 1000)),`,
    `    "${STANDARD_SIGNATURE_HEADER}": webhook.sign(id, now, body),`,
    `  },`,
    `  body,`,
    `});`,
    `console.log(res.status, await res.json());`,
  ].join("\n");
  return { curl, node };
}
