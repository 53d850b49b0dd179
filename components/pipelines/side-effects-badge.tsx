import { Badge } from "@/components/ui/badge";
import type { SideEffects } from "@/lib/pipelines/define";

export const SIDE_EFFECTS: Record<SideEffects, { tone: "gray" | "blue" | "amber"; label: string; explanation: string }> = {
  none: { tone: "gray", label: "no side effects", explanation: "Reads only; running it changes nothing." },
  internal: { tone: "blue", label: "internal", explanation: "Writes to this platform's own data." },
  external: { tone: "amber", label: "external", explanation: "Acts on systems outside this platform; agents ask for approval first." },
};

export function SideEffectsBadge({ sideEffects }: { sideEffects: SideEffects }) {
  const info = SIDE_EFFECTS[sideEffects];
  return (
    <span title={info.explanation}>
      <Badge tone={info.tone}>{info.label}</Badge>
    </span>
  );
}

export function AreasList({ areas }: { areas: readonly string[] }) {
  if (areas.includes("*")) return <span className="text-slate-600">all areas</span>;
  if (areas.length === 0) return <span className="text-slate-400">no area</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {areas.map((a) => (
        <span key={a} className="rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-600">{a}</span>
      ))}
    </span>
  );
}
