import Link from "next/link";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import { buttonClass } from "@/components/ui/button";
import { formatBytes, formatDateTime, formatRelative } from "@/components/ui/format";
import type { HubFileView, HubFolderView } from "@/lib/context-hub/browse-hub";
import { hubHref } from "./hub-links";
import { Markdown } from "./markdown";
import { NewFileForm } from "./new-file-form";

// The two things a hub address can show: a folder (abstract, overview.md, entries) or a file.

const lastSegment = (path: string) => path.split("/").pop() ?? path;

export function HubBreadcrumb({ path }: { path: string }) {
  const segments = path ? path.split("/") : [];
  return (
    <nav aria-label="Breadcrumb" className="mb-3 flex flex-wrap items-center gap-x-1.5 text-sm text-slate-500">
      <Link href={hubHref("")} className="hover:text-slate-800 hover:underline">Context hub</Link>
      {segments.map((segment, index) => {
        const href = hubHref(segments.slice(0, index + 1).join("/"));
        const last = index === segments.length - 1;
        return (
          <span key={href} className="flex items-center gap-x-1.5">
            <span className="text-slate-300">/</span>
            {last ? <span className="break-all text-slate-700">{segment}</span> : <Link href={href} className="break-all hover:text-slate-800 hover:underline">{segment}</Link>}
          </span>
        );
      })}
    </nav>
  );
}

export function FolderView({ folder, mayEdit }: { folder: HubFolderView; mayEdit: boolean }) {
  const folderFile = (name: string) => (folder.path ? `${folder.path}/${name}` : name);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={folder.path ? `${lastSegment(folder.path)}/` : "Hub root"}
          description={folder.abstract ?? "No abstract.md yet: one line that says what this folder holds."}
          action={
            mayEdit ? (
              <Link href={hubHref(folderFile("overview.md"), folder.overview === null ? { new: "1" } : { edit: "1" })} className="shrink-0 text-sm font-medium text-brand-600 hover:underline">
                {folder.overview === null ? "Write overview" : "Edit overview"}
              </Link>
            ) : undefined
          }
        />
        <div className="px-5 py-4" data-testid="folder-overview">
          {folder.overview === null ? (
            <p className="text-sm text-slate-500">No overview.md in this folder. An overview is what an agent reads before opening files here.</p>
          ) : (
            <Markdown text={folder.overview} basePath={folderFile("overview.md")} />
          )}
        </div>
      </Card>
      <Card>
        <CardHeader title="In this folder" description={`${folder.folders.length} folders, ${folder.files.length} files${folder.omitted ? `, ${folder.omitted} more not listed` : ""}.`} />
        {folder.folders.length + folder.files.length === 0 ? (
          <EmptyState title="Empty folder">Create the first file below.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="folder-entries">
            {folder.folders.map((child) => (
              <li key={child.path}>
                <Link href={hubHref(child.path)} className="flex flex-wrap items-baseline justify-between gap-x-3 px-5 py-2.5 hover:bg-slate-50">
                  <span className="min-w-0">
                    <span className="text-sm font-medium text-slate-900">{lastSegment(child.path)}/</span>
                    {child.abstract ? <span className="block text-xs text-slate-500">{child.abstract}</span> : null}
                  </span>
                  <span className="text-xs text-slate-400">{child.files} files</span>
                </Link>
              </li>
            ))}
            {folder.files.map((file) => (
              <li key={file.path}>
                <Link href={hubHref(file.path)} data-file={file.path} className="flex flex-wrap items-baseline justify-between gap-x-3 px-5 py-2.5 hover:bg-slate-50">
                  <span className="min-w-0 break-all text-sm text-brand-700">{lastSegment(file.path)}</span>
                  <span className="text-xs text-slate-400">
                    {formatBytes(file.bytes)} · <time dateTime={file.modifiedAt} title={formatDateTime(file.modifiedAt)}>{formatRelative(file.modifiedAt)}</time>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        <div className="border-t border-slate-100">
          <NewFileForm folder={folder.path} />
        </div>
      </Card>
    </div>
  );
}

function FrontMatter({ data }: { data: Record<string, unknown> }) {
  return (
    <dl className="mb-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg bg-slate-50 px-4 py-3 text-xs" data-testid="front-matter">
      {Object.entries(data).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-500">{key}</dt>
          <dd className="min-w-0 break-words font-mono text-slate-700">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function FileView({ file, savedRunId, mayEdit }: { file: HubFileView; savedRunId: string | null; mayEdit: boolean }) {
  return (
    <Card>
      <CardHeader
        title={lastSegment(file.path)}
        description={`${formatBytes(file.bytes)} · changed ${formatRelative(file.modifiedAt)}`}
        action={
          file.truncated || !mayEdit ? undefined : (
            <Link href={hubHref(file.path, { edit: "1" })} className={buttonClass("secondary", "shrink-0")}>Edit</Link>
          )
        }
      />
      {savedRunId ? (
        <p role="status" className="border-b border-emerald-100 bg-emerald-50 px-5 py-2.5 text-sm text-emerald-800">
          Saved. The change is on the record as <Link href={`/runs/${savedRunId}`} className="font-mono font-medium underline" data-testid="saved-run">{savedRunId}</Link>.
        </p>
      ) : null}
      {file.truncated ? (
        <p className="border-b border-amber-100 bg-amber-50 px-5 py-2.5 text-sm text-amber-800">This file is larger than 256 KB: shown cut, and edited outside the dashboard.</p>
      ) : null}
      <div className="px-5 py-4" data-testid="file-content">
        {file.frontMatter ? <FrontMatter data={file.frontMatter} /> : null}
        {file.markdown ? <Markdown text={file.body} basePath={file.path} /> : <pre className="overflow-x-auto whitespace-pre-wrap break-words font-mono text-xs text-slate-800">{file.body}</pre>}
      </div>
    </Card>
  );
}
