import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import type { HubTree } from "@/lib/context-hub/browse-hub";
import { hubHref } from "./hub-links";

// The hub's folders, indented by depth, each with its one-line abstract. soul.md sits on top: it
// opens every assistant's instructions, so it is one click away from anywhere in the hub.

export function HubTreeCard({ tree, current }: { tree: HubTree; current: string }) {
  const inCurrent = (path: string) => current === path || current.startsWith(`${path}/`);
  return (
    <Card>
      <CardHeader title="Folders" description={tree.rootAbstract ?? "The owner's markdown: identity, inbox, areas, projects, knowledge, archive."} />
      <div className="border-b border-slate-100 px-3 py-3">
        <Link
          href={hubHref("soul.md")}
          data-testid="soul-link"
          className={`flex items-start gap-2 rounded-lg px-2 py-2 hover:bg-brand-50 ${current === "soul.md" ? "bg-brand-50" : ""}`}
        >
          <span aria-hidden="true" className="mt-0.5 text-brand-600">✦</span>
          <span className="min-w-0">
            <span className="block text-sm font-medium text-slate-900">soul.md</span>
            <span className="block text-xs text-slate-500">Who you are; opens every assistant&apos;s instructions.</span>
          </span>
        </Link>
      </div>
      <nav aria-label="Context hub folders" className="px-3 py-3">
        <Link
          href={hubHref("")}
          className={`block rounded-lg px-2 py-1.5 text-sm font-medium hover:bg-slate-50 ${current === "" ? "bg-slate-100 text-slate-900" : "text-slate-700"}`}
          aria-current={current === "" ? "page" : undefined}
        >
          Hub root
        </Link>
        <ul className="mt-1 space-y-0.5" data-testid="hub-tree">
          {tree.folders.map((folder) => {
            const name = folder.path.split("/").pop();
            return (
              <li key={folder.path} style={{ paddingLeft: `${folder.depth * 0.9}rem` }}>
                <Link
                  href={hubHref(folder.path)}
                  data-folder={folder.path}
                  aria-current={current === folder.path ? "page" : undefined}
                  className={`block rounded-lg px-2 py-1.5 hover:bg-slate-50 ${current === folder.path ? "bg-slate-100" : ""}`}
                >
                  <span className={`flex items-baseline justify-between gap-2 text-sm ${inCurrent(folder.path) ? "font-medium text-slate-900" : "text-slate-700"}`}>
                    <span className="min-w-0 truncate">{name}/</span>
                    {folder.files ? <span className="shrink-0 text-xs tabular-nums text-slate-400">{folder.files}</span> : null}
                  </span>
                  {folder.abstract ? <span className="block truncate text-xs text-slate-500" title={folder.abstract}>{folder.abstract}</span> : null}
                </Link>
              </li>
            );
          })}
        </ul>
        {tree.truncated ? <p className="mt-2 px-2 text-xs text-slate-500">More folders than fit here; open one to see its subfolders.</p> : null}
      </nav>
    </Card>
  );
}
