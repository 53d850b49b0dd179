"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/runs/copy-button";
import type { SourceWithSecret } from "@/lib/events/manage-sources";

// The one moment a signing secret is visible: right after creating a source or rotating its
// secret. It is not stored anywhere readable, so closing this panel is final.

export function SecretPanel({ created, rotated, onDismiss }: { created: SourceWithSecret; rotated: boolean; onDismiss: () => void }) {
  const [tab, setTab] = useState<"curl" | "node">("curl");
  const example = created.signing.examples[tab];
  return (
    <section aria-label="Signing secret" data-testid="secret-panel" className="mb-6 overflow-hidden rounded-xl border border-amber-300 bg-amber-50 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-amber-200 px-5 py-4">
        <div>
          <h2 className="text-sm font-semibold text-amber-900">
            {rotated ? "New signing secret for " : "Source created: "}
            <span className="font-mono">{created.source.name}</span>
          </h2>
          <p className="mt-0.5 text-sm text-amber-800">
            Copy the secret now and give it to the sender. It is shown only this once{rotated ? "; the previous secret no longer works" : ""}.
          </p>
        </div>
        <Button variant="secondary" onClick={onDismiss}>I have stored it</Button>
      </div>
      <dl className="grid gap-3 px-5 py-4 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-medium text-amber-900">Secret</dt>
        <dd className="flex min-w-0 items-center gap-2">
          <code data-testid="signing-secret" className="truncate rounded-md bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200">{created.secret}</code>
          <CopyButton text={created.secret} label="Copy secret" />
        </dd>
        <dt className="font-medium text-amber-900">Endpoint</dt>
        <dd className="flex min-w-0 items-center gap-2">
          <code className="truncate rounded-md bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200">POST {created.source.endpoint}</code>
          <CopyButton text={created.source.endpoint} label="Copy URL" />
        </dd>
        <dt className="font-medium text-amber-900">Signature</dt>
        <dd className="font-mono text-xs text-amber-900">{created.signing.scheme}</dd>
      </dl>
      <div className="px-5 pb-5">
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
          <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5">
            <div role="tablist" aria-label="Example sender" className="inline-flex gap-1 text-xs font-medium">
              {(["curl", "node"] as const).map((t) => (
                <button
                  key={t}
                  role="tab"
                  type="button"
                  aria-selected={tab === t}
                  onClick={() => setTab(t)}
                  className={`rounded-md px-2.5 py-1 ${tab === t ? "bg-slate-700 text-white" : "text-slate-400 hover:text-white"}`}
                >
                  {t === "curl" ? "curl + openssl" : "Node.js"}
                </button>
              ))}
            </div>
            <CopyButton text={example} label="Copy example" className="text-slate-300 hover:bg-slate-700 hover:text-white" />
          </div>
          <pre className="max-h-80 overflow-auto px-4 py-3 font-mono text-xs leading-relaxed text-slate-100">{example}</pre>
        </div>
      </div>
    </section>
  );
}
