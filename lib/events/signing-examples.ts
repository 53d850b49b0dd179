import { DELIVERY_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER } from "@/lib/events/signature";

// Ready-to-paste senders for a source, shown with its secret at creation and rotation (and
// without it afterwards). They are the reference for the signature scheme in the README.

export type SigningExamples = { curl: string; node: string };

export function signingExamples(endpoint: string, secret?: string): SigningExamples {
  const secretValue = secret ?? "whsec_…your source's secret…";
  const curl = [
    `SECRET='${secretValue}'`,
    `BODY='{"type":"ping","message":"hello"}'`,
    `T=$(date +%s)`,
    `SIG=$(printf '%s.%s' "$T" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')`,
    `curl -sS -X POST '${endpoint}' \\`,
    `  -H 'content-type: application/json' \\`,
    `  -H '${EVENT_TYPE_HEADER}: ping' \\`,
    `  -H "${DELIVERY_HEADER}: $(openssl rand -hex 16)" \\`,
    `  -H "${SIGNATURE_HEADER}: t=$T,v1=$SIG" \\`,
    `  --data "$BODY"`,
  ].join("\n");
  const node = [
    `import { createHmac, randomUUID } from "node:crypto";`,
    ``,
    `const secret = ${JSON.stringify(secretValue)};`,
    `const body = JSON.stringify({ type: "ping", message: "hello" });`,
    `const t = Math.floor(Date.now() / 1000);`,
    `const v1 = createHmac("sha256", secret).update(\`\${t}.\${body}\`).digest("hex");`,
    `const res = await fetch(${JSON.stringify(endpoint)}, {`,
    `  method: "POST",`,
    `  headers: {`,
    `    "content-type": "application/json",`,
    `    "${EVENT_TYPE_HEADER}": "ping",`,
    `    "${DELIVERY_HEADER}": randomUUID(), // the same id on every retry of this delivery`,
    `    "${SIGNATURE_HEADER}": \`t=\${t},v1=\${v1}\`,`,
    `  },`,
    `  body,`,
    `});`,
    `console.log(res.status, await res.json());`,
  ].join("\n");
  return { curl, node };
}
