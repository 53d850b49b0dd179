"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { hubHref } from "./hub-links";

// Starts a new file in a folder: checks the name here, then opens the editor for it.

const NAME = /^[^/\\.][^/\\]{0,119}\.(md|markdown|txt|json|ya?ml|csv)$/i;

export function NewFileForm({ folder }: { folder: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      aria-label="New file"
      className="flex flex-wrap items-start gap-2 px-5 py-4"
      onSubmit={(event) => {
        event.preventDefault();
        const trimmed = name.trim();
        if (!NAME.test(trimmed)) {
          setError("Give the file a name ending in .md (or .txt, .json, .yaml, .csv), without slashes or a leading dot.");
          return;
        }
        setError(null);
        router.push(hubHref(folder ? `${folder}/${trimmed}` : trimmed, { new: "1" }));
      }}
    >
      <div className="min-w-0 flex-1">
        <label htmlFor="new-file-name" className="sr-only">New file name</label>
        <input
          id="new-file-name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="new-note.md"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "new-file-error" : undefined}
          className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none"
        />
        {error ? <p id="new-file-error" role="alert" className="mt-1 text-xs text-rose-700">{error}</p> : null}
      </div>
      <Button type="submit" variant="secondary">New file</Button>
    </form>
  );
}
