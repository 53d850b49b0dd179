import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardHeader, PageHeader } from "@/components/ui/card";
import { FileEditor } from "@/components/context/file-editor";
import { FileView, FolderView, HubBreadcrumb } from "@/components/context/entry-views";
import { parentOf } from "@/components/context/hub-links";
import { HubSearchForm, HubSearchResults } from "@/components/context/hub-search";
import { HubTreeCard } from "@/components/context/hub-tree";
import { RecentChangesCard } from "@/components/context/recent-changes";
import { requirePagePermission } from "@/lib/auth/page-session";
import { hubRoot, readHubEntry, readHubTree, type HubFileView, type HubFolderView } from "@/lib/context-hub/browse-hub";
import { isMarkdownFile, isTextFile } from "@/lib/context-hub/layout";
import { normaliseHubPath } from "@/lib/context-hub/paths";
import { listRecentChanges } from "@/lib/context-hub/recent-changes";
import { searchContext } from "@/lib/context-hub/search-context";
import { isAppError } from "@/lib/errors";
import { saveContextFileAction } from "../actions";
import { can } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ path?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** The hub path the URL names, checked; anything odd is a 404 rather than an error page. */
function hubPathOf(segments: string[] | undefined): string {
  try {
    return normaliseHubPath((segments ?? []).map((segment) => decodeURIComponent(segment)).join("/"));
  } catch {
    notFound();
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { path } = await params;
  const joined = (path ?? []).map((s) => { try { return decodeURIComponent(s); } catch { return s; } }).join("/");
  return { title: joined ? `${joined} · Context hub` : "Context hub" };
}

type Entry = HubFolderView | HubFileView | { kind: "new"; path: string };

/** The folder or file, or a new file's editor when asked for one in an existing folder. */
async function loadEntry(path: string, creating: boolean): Promise<Entry> {
  try {
    return await readHubEntry(path);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "not_found" && creating && isTextFile(path)) {
      const parent = await readHubEntry(parentOf(path)).catch(() => null);
      if (parent?.kind === "folder") return { kind: "new", path };
    }
    notFound();
  }
}

export default async function ContextPage({ params, searchParams }: Props) {
  const user = await requirePagePermission("activity.view");
  const [{ path: segments }, query] = await Promise.all([params, searchParams]);
  const path = hubPathOf(segments);
  const q = one(query.q).trim().slice(0, 200);
  const mayEdit = can(user.role, "settings.manage");
  const editing = mayEdit && one(query.edit) === "1";
  const saved = one(query.saved);
  // Resolve the entry before anything renders, so a missing one is a real 404.
  const entry = await loadEntry(path, one(query.new) === "1");
  const folder = entry.kind === "folder" ? entry.path : parentOf(entry.path);
  const [tree, changes, search] = await Promise.all([
    readHubTree(),
    listRecentChanges({ limit: entry.kind === "folder" ? 15 : 10, path: entry.kind === "folder" ? undefined : entry.path }),
    q ? searchContext(hubRoot(), { query: q, path: folder, limit: 50, caseSensitive: false, includeArchive: true }) : null,
  ]);

  return (
    <>
      <PageHeader
        title="Context hub"
        description="The markdown your assistants and agents read first: who you are, your areas, projects and knowledge. Every edit is a recorded run."
      />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-[18rem_minmax(0,1fr)]">
        <div className="order-2 min-w-0 space-y-6 lg:order-1">
          <HubTreeCard tree={tree} current={entry.path} />
        </div>
        <div className="order-1 min-w-0 space-y-6 lg:order-2">
          <HubSearchForm folder={folder} query={q} />
          {search ? <HubSearchResults query={q} folder={folder} result={search} /> : null}
          <div>
            <HubBreadcrumb path={entry.path} />
            {entry.kind === "folder" ? <FolderView folder={entry} mayEdit={mayEdit} /> : null}
            {entry.kind === "file" && !(editing && !entry.truncated) ? <FileView file={entry} mayEdit={mayEdit} savedRunId={/^run_[0-9a-z]{26}$/.test(saved) ? saved : null} /> : null}
            {entry.kind === "file" && editing && !entry.truncated ? (
              <Card>
                <CardHeader title={`Editing ${entry.path}`} description="The whole file, front matter included." />
                <FileEditor path={entry.path} initial={entry.raw} sha256={entry.sha256} markdown={entry.markdown} action={saveContextFileAction} />
              </Card>
            ) : null}
            {entry.kind === "new" && mayEdit ? (
              <Card>
                <CardHeader title={`New file ${entry.path}`} description="Nothing is written until you create it." />
                <FileEditor path={entry.path} initial="" sha256={null} markdown={isMarkdownFile(entry.path)} action={saveContextFileAction} />
              </Card>
            ) : null}
          </div>
          <RecentChangesCard changes={changes} title={entry.kind === "folder" ? "Recent changes" : "Changes to this file"} showPath={entry.kind === "folder"} />
        </div>
      </div>
    </>
  );
}
