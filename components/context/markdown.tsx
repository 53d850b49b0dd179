import Link from "next/link";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { hubHref, resolveHubLink } from "./hub-links";

// Renders a hub file's markdown. Raw HTML in the file is not rendered (react-markdown drops it
// without rehype-raw), and links keep react-markdown's URL check (no javascript: and the like).
// Relative links between hub files open in the hub page.

export function Markdown({ text, basePath }: { text: string; basePath: string }) {
  const components: Components = {
    a({ href, children }) {
      const inHub = href ? resolveHubLink(basePath, href) : null;
      if (inHub !== null) return <Link href={hubHref(inHub)}>{children}</Link>;
      return (
        <a href={href} target="_blank" rel="noreferrer noopener">
          {children}
        </a>
      );
    },
    // Images would be fetched from wherever the file says; show their text instead.
    img({ alt, src }) {
      return <span className="text-slate-500">[image: {alt || (typeof src === "string" ? src : "")}]</span>;
    },
  };
  return (
    <div className="hub-markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} urlTransform={defaultUrlTransform} skipHtml>
        {text}
      </ReactMarkdown>
    </div>
  );
}
