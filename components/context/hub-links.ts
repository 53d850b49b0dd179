// Addresses of hub entries in the dashboard: /context/<path>, each segment encoded.

export function hubHref(relativePath: string, query?: Record<string, string>): string {
  const encoded = relativePath.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  const search = query ? `?${new URLSearchParams(query).toString()}` : "";
  return `/context${encoded ? `/${encoded}` : ""}${search}`;
}

/** The folder of a hub file ("" for one at the root). */
export function parentOf(relativePath: string): string {
  const index = relativePath.lastIndexOf("/");
  return index === -1 ? "" : relativePath.slice(0, index);
}

/**
 * A relative link in a hub file ("../people.md", "clients/acme.md#notes"), resolved against the
 * file's folder; null for external links, anchors and links that climb out of the hub.
 */
export function resolveHubLink(filePath: string, href: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || href.startsWith("#") || href.startsWith("/")) return null;
  const [target] = href.split(/[?#]/);
  if (!target) return null;
  const segments = parentOf(filePath).split("/").filter(Boolean);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (segments.length === 0) return null;
      segments.pop();
    } else {
      let decoded: string;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        return null;
      }
      segments.push(decoded);
    }
  }
  return segments.join("/");
}
