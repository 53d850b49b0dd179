import type { LanguageModelUsage, StepResult, ToolSet } from "ai";
import type { AreaRow } from "./areas";

// What a turn costs: tokens times the area's prices (US dollars per million tokens).

type Prices = Pick<AreaRow, "inputUsdPerMTok" | "outputUsdPerMTok">;

export function costOf(usage: Pick<LanguageModelUsage, "inputTokens" | "outputTokens">, prices: Prices): number {
  const cost = ((usage.inputTokens ?? 0) * prices.inputUsdPerMTok + (usage.outputTokens ?? 0) * prices.outputUsdPerMTok) / 1_000_000;
  return Math.round(cost * 1e9) / 1e9;
}

export function costOfSteps(steps: ReadonlyArray<Pick<StepResult<ToolSet>, "usage">>, prices: Prices): number {
  return steps.reduce((sum, step) => sum + costOf(step.usage, prices), 0);
}

export function formatUsd(value: number): string {
  if (value === 0) return "$0";
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}
