import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardHeader, EmptyState } from "@/components/ui/card";
import type { SearchResult } from "@/lib/context-hub/search-context";
import { hubHref } from "./hub-links";

// Plain-text search of the hub (the same search context.search gives agents), under the folder
// being viewed. A GET form: results have an address and survive a reload.

export function HubSearchForm({ folder, query }: { folder: string; query: string }) {
  return (
    <form role="search" action={hubHref(folder)} className="flex gap-2">
      <label htmlFor="hub-search" className="sr-only">Search the context hub</label>
      <input
        id="hub-search"
        name="q"
        type="search"
        defaultValue={query}
        required
        maxLength={200}
        placeholder={folder ? `Search in ${folder}/` : "Search the hub"}
        className="block w-full min-w-0 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm focus:border-brand-500 focus:outline-none"
      />
      <Button type="submit" variant="secondary">Search</Button>
    </form>
  );
}

export function HubSearchResults({ query, folder, result }: { query: string; folder: string; result: SearchResult }) {
  return (
    <Card>
      <CardHeader
        title={`Results for “${query}”`}
        description={`${result.matches.length}${result.truncated ? "+" : ""} matching lines in ${result.filesScanned} files${folder ? ` under ${folder}/` : ""}.`}
        action={<Link href={hubHref(folder)} className="text-sm font-medium text-brand-600 hover:underline">Clear</Link>}
      />
      {result.matches.length === 0 ? (
        <EmptyState title="Nothing found">Search looks for the words as typed, ignoring case, in every text file including archive/.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="search-results">
          {result.matches.map((match) => (
            <li key={`${match.path}:${match.line}`} className="px-5 py-3">
              <Link href={hubHref(match.path)} className="font-mono text-xs text-brand-700 hover:underline">
                {match.path}
                <span className="text-slate-400">:{match.line}</span>
              </Link>
              <p className="mt-1 break-words text-sm text-slate-700">{match.snippet}</p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
