import Link from "next/link";
import { CopyButton } from "@/components/runs/copy-button";
import { formatDateTime, formatRelative } from "@/components/ui/format";

// The pieces every detail page is made of: a breadcrumb back to its list, label/value rows,
// copyable ids, and times shown both exactly and relatively.

export function Breadcrumb({ href, label, current, mono = false }: { href: string; label: string; current: string; mono?: boolean }) {
  return (
    <nav aria-label="Breadcrumb" className="-mt-2 mb-3 text-sm text-slate-500">
      <Link href={href} className="hover:text-slate-800 hover:underline">{label}</Link>
      <span className="mx-1.5 text-slate-300">/</span>
      <span className={mono ? "font-mono text-xs text-slate-700" : "text-slate-700"}>{current}</span>
    </nav>
  );
}

export function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-3 px-5 py-2.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="col-span-2 min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

export const none = <span className="text-slate-400">—</span>;

/** An id or key in monospace with a copy button; a dash when there is none. */
export function Mono({ value }: { value: string | null }) {
  if (!value) return none;
  return (
    <span className="inline-flex max-w-full items-center gap-1">
      <code className="truncate font-mono text-xs text-slate-800">{value}</code>
      <CopyButton text={value} label="Copy" iconOnly className="px-1" />
    </span>
  );
}

/** A time in UTC with how long ago it was; a dash when there is none. */
export function When({ at }: { at: string | null }) {
  if (!at) return none;
  return (
    <span>
      {formatDateTime(at)} <span className="text-xs text-slate-500" suppressHydrationWarning>({formatRelative(at)})</span>
    </span>
  );
}

export type ActionNotice = { tone: "error" | "info"; text: string };

/** What an action on the page (cancel, retry…) did, or why it failed. */
export function ActionNoticeBanner({ notice }: { notice: ActionNotice | null }) {
  if (!notice) return null;
  const error = notice.tone === "error";
  return (
    <p
      role={error ? "alert" : "status"}
      className={`mb-6 rounded-lg border px-4 py-2.5 text-sm ${error ? "border-rose-200 bg-rose-50 text-rose-800" : "border-slate-200 bg-white text-slate-700"}`}
    >
      {notice.text}
    </p>
  );
}
