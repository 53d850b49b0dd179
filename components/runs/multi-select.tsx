"use client";

import { useEffect, useId, useRef, useState } from "react";

// A compact dropdown of checkboxes for filters that take several values.

export function MultiSelect<T extends string>({
  label,
  options,
  selected,
  onChange,
}: {
  label: string;
  options: readonly T[];
  selected: readonly T[];
  onChange(next: T[]): void;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  const summary = selected.length === 0 ? "any" : selected.length <= 2 ? selected.join(", ") : `${selected.length} selected`;
  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        className={`inline-flex h-9 items-center gap-1.5 rounded-lg border bg-white px-3 text-sm shadow-sm transition-colors hover:bg-slate-50 ${selected.length ? "border-brand-500/50 text-slate-900" : "border-slate-300 text-slate-700"}`}
      >
        <span className="text-slate-500">{label}:</span>
        <span className="max-w-40 truncate font-medium">{summary}</span>
        <svg viewBox="0 0 20 20" className="h-4 w-4 text-slate-400" fill="currentColor" aria-hidden="true">
          <path d="M5.3 7.3a1 1 0 0 1 1.4 0L10 10.6l3.3-3.3a1 1 0 1 1 1.4 1.4l-4 4a1 1 0 0 1-1.4 0l-4-4a1 1 0 0 1 0-1.4z" />
        </svg>
      </button>
      {open ? (
        <div id={menuId} role="group" aria-label={label} className="absolute left-0 z-30 mt-1 w-52 rounded-lg border border-slate-200 bg-white py-1 shadow-lg">
          {options.map((option) => (
            <label key={option} className="flex cursor-pointer items-center gap-2.5 px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
              <input
                type="checkbox"
                checked={selected.includes(option)}
                onChange={(e) => onChange(e.target.checked ? [...selected, option] : selected.filter((s) => s !== option))}
                className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-500"
              />
              {option}
            </label>
          ))}
          {selected.length ? (
            <button type="button" onClick={() => onChange([])} className="mt-1 w-full border-t border-slate-100 px-3 pt-2 pb-1 text-left text-xs font-medium text-brand-600 hover:underline">
              Clear
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
