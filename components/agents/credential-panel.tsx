"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/runs/copy-button";
import type { Issued } from "@/components/agents/agent-actions";

// The one moment a client secret is visible: right after creating an agent or rotating its
// secret. Only its hash is stored, so closing this panel is final.

export function CredentialPanel({ issued, rotated, onDismiss }: { issued: Issued; rotated: boolean; onDismiss: () => void }) {
  return (
    <section aria-label="Client credential" data-testid="credential-panel" className="mb-6 overflow-hidden rounded-xl border border-amber-300 bg-amber-50 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-amber-200 px-5 py-4">
        <div>
          <h2 className="text-sm font-semibold text-amber-900">
            {rotated ? "New client secret for " : "Agent registered: "}
            <span className="font-mono">{issued.name}</span>
          </h2>
          <p className="mt-0.5 text-sm text-amber-800">
            Copy the secret now and put it where the agent reads it. It is shown only this once{rotated ? "; the previous secret no longer works" : ""}.
          </p>
        </div>
        <Button variant="secondary" onClick={onDismiss}>I have stored it</Button>
      </div>
      <dl className="grid gap-3 px-5 py-4 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-medium text-amber-900">Client id</dt>
        <dd className="flex min-w-0 items-center gap-2">
          <code className="truncate rounded-md bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200">{issued.clientId}</code>
          <CopyButton text={issued.clientId} label="Copy id" />
        </dd>
        <dt className="font-medium text-amber-900">Client secret</dt>
        <dd className="flex min-w-0 items-center gap-2">
          <code data-testid="client-secret" className="truncate rounded-md bg-white px-2 py-1 font-mono text-xs text-slate-900 ring-1 ring-amber-200">{issued.clientSecret}</code>
          <CopyButton text={issued.clientSecret} label="Copy secret" />
        </dd>
      </dl>
      <div className="px-5 pb-5">
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
          <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5">
            <span className="text-xs font-medium text-slate-300">Exchange it for an access token</span>
            <CopyButton text={issued.tokenCurl} label="Copy curl" className="text-slate-300 hover:bg-slate-700 hover:text-white" />
          </div>
          <pre className="max-h-80 overflow-auto px-4 py-3 font-mono text-xs leading-relaxed text-slate-100">{issued.tokenCurl}</pre>
        </div>
      </div>
    </section>
  );
}
