"use client";

import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { RunsPerDay } from "@/lib/overview/runs-overview";

// Runs per UTC day, stacked by status.

const SERIES = [
  { key: "succeeded", label: "Succeeded", colour: "#10b981" },
  { key: "failed", label: "Failed", colour: "#f43f5e" },
  { key: "cancelled", label: "Cancelled", colour: "#94a3b8" },
  { key: "running", label: "Running", colour: "#4f6ef7" },
  { key: "queued", label: "Queued", colour: "#f59e0b" },
] as const;

const dayLabel = (day: string, style: "short" | "long" = "short") =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", style === "short" ? { day: "numeric", month: "short", timeZone: "UTC" } : { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

const total = (d: RunsPerDay) => SERIES.reduce((sum, s) => sum + d[s.key], 0);

function ChartTooltip({ active, payload }: TooltipContentProps) {
  const day = payload?.[0]?.payload as RunsPerDay | undefined;
  if (!active || !day) return null;
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-xs shadow-lg">
      <p className="mb-1 font-medium text-slate-900">
        {dayLabel(day.day, "long")} · {total(day)} run{total(day) === 1 ? "" : "s"}
      </p>
      {SERIES.filter((s) => day[s.key] > 0).map((s) => (
        <p key={s.key} className="flex items-center justify-between gap-4 text-slate-600">
          <span className="flex items-center gap-1.5">
            <span className="h-2 w-2 rounded-full" style={{ background: s.colour }} />
            {s.label}
          </span>
          <span className="tabular-nums">{day[s.key]}</span>
        </p>
      ))}
    </div>
  );
}

export function RunsPerDayChart({ data }: { data: RunsPerDay[] }) {
  return (
    <div className="px-3 pt-4 pb-3" data-testid="runs-per-day-chart">
      <BarChart responsive data={data} style={{ width: "100%", height: 240 }} margin={{ top: 4, right: 12, bottom: 0, left: 0 }} barCategoryGap="22%">
        <CartesianGrid vertical={false} stroke="#f1f5f9" />
        <XAxis dataKey="day" tickFormatter={(d: string) => dayLabel(d)} tick={{ fontSize: 11, fill: "#64748b" }} axisLine={{ stroke: "#e2e8f0" }} tickLine={false} interval="preserveStartEnd" minTickGap={12} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#64748b" }} axisLine={false} tickLine={false} width={36} />
        <Tooltip cursor={{ fill: "#f1f5f9" }} content={(props) => <ChartTooltip {...props} />} isAnimationActive={false} />
        {SERIES.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="runs" fill={s.colour} maxBarSize={32} isAnimationActive={false} />
        ))}
      </BarChart>
      <ul className="mt-2 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs text-slate-600">
        {SERIES.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span className="h-2.5 w-2.5 rounded-sm" style={{ background: s.colour }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
