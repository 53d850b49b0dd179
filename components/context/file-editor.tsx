"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button, Spinner, buttonClass } from "@/components/ui/button";
import { hubHref } from "./hub-links";
import { Markdown } from "./markdown";
import type { SaveFileAction, SaveFileResult } from "./save-file-result";

// Edits one hub file. Saving runs context.write (a recorded run); the hash of the text that was
// opened goes with it, so a save never silently replaces someone else's newer edit.

type Props = {
  path: string;
  initial: string;
  /** Hash of the file as opened; null when creating a new file. */
  sha256: string | null;
  markdown: boolean;
  action: SaveFileAction;
};

export function FileEditor({ path, initial, sha256, markdown, action }: Props) {
  const router = useRouter();
  const [text, setText] = useState(initial);
  const [tab, setTab] = useState<"write" | "preview">("write");
  const [result, setResult] = useState<Exclude<SaveFileResult, { status: "saved" }> | null>(null);
  const [pending, start] = useTransition();
  const changed = text !== initial || sha256 === null;

  function save() {
    start(async () => {
      const saved = await action(path, text, sha256);
      if (saved.status === "saved") {
        router.push(hubHref(saved.path, { saved: saved.runId }));
        router.refresh();
        return;
      }
      setResult(saved);
    });
  }

  return (
    <form
      aria-label={`Edit ${path}`}
      className="space-y-3 px-5 py-4"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      {markdown ? (
        <div role="tablist" aria-label="Editor view" className="flex gap-1 text-sm">
          {(["write", "preview"] as const).map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              onClick={() => setTab(name)}
              className={`rounded-md px-3 py-1.5 font-medium ${tab === name ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {name === "write" ? "Write" : "Preview"}
            </button>
          ))}
        </div>
      ) : null}
      {tab === "write" ? (
        <textarea
          aria-label="File content"
          value={text}
          onChange={(event) => setText(event.target.value)}
          spellCheck
          rows={22}
          className="block w-full rounded-lg border border-slate-300 px-3 py-2 font-mono text-sm leading-6 text-slate-900 focus:border-brand-500 focus:outline-none"
        />
      ) : (
        <div className="min-h-40 rounded-lg border border-slate-200 px-4 py-3">
          <Markdown text={text} basePath={path} />
        </div>
      )}
      {result ? (
        <p role="alert" className="text-sm text-rose-700">
          {result.message}
          {result.runId ? (
            <>
              {" "}
              <Link href={`/runs/${result.runId}`} className="font-medium underline">View the failed run</Link>
            </>
          ) : null}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" disabled={pending || !changed}>
          {pending ? <Spinner /> : null}
          {sha256 === null ? "Create file" : "Save"}
        </Button>
        <Link href={hubHref(sha256 === null ? path.split("/").slice(0, -1).join("/") : path)} className={buttonClass("secondary")}>
          Cancel
        </Link>
        <span className="text-xs text-slate-500">Saving runs the pipeline context.write as you; the run is kept with the rest.</span>
      </div>
    </form>
  );
}
