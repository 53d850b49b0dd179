import Link from "next/link";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";

// Shown instead of the chat when no model server is configured.
export function ModelSetup() {
  return (
    <>
      <PageHeader title="Chat" description="Assistants that act through your pipelines, one per area." />
      <Card className="max-w-2xl">
        <CardHeader title="Connect a model to start chatting" description="The assistants need an OpenAI-compatible chat completions server." />
        <div className="space-y-3 px-5 py-4 text-sm text-slate-700" data-testid="model-setup">
          <p>Set one of these in <code>.env</code> (or the environment) and restart the app:</p>
          <pre className="overflow-x-auto rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100">{`# OpenAI
OPENAI_API_KEY=sk-...

# Ollama on this machine (no key needed)
OPENAI_BASE_URL=http://localhost:11434/v1
CHAT_DEFAULT_MODEL=llama3.1

# llama.cpp server or vLLM
OPENAI_BASE_URL=http://localhost:8080/v1`}</pre>
          <p>Each area names its model, prices and budgets on the <Link href="/areas" className="text-brand-700 hover:underline">Areas</Link> page.</p>
        </div>
      </Card>
    </>
  );
}
