import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metrics } from "@/lib/observability/metrics";

// The dashboard and the alert rules load, and every series they query exists in the app's registry
// with the labels they use: a renamed metric or label breaks this test, not a panel at 3 a.m.

const MONITORING = path.resolve(import.meta.dirname, "..", "..", "monitoring");
// Series Prometheus makes itself, not the app.
const PROMETHEUS_SERIES = new Map([["up", ["job", "instance"]]]);
const PROMQL_WORDS = new Set(["sum", "max", "min", "avg", "count", "rate", "increase", "delta", "by", "without", "and", "or", "unless", "on", "ignoring", "offset", "histogram_quantile", "clamp_min", "clamp_max", "abs", "time", "le"]);

type Family = { name: string; type: string; labels: string[] };

async function registryFamilies(): Promise<Map<string, Family>> {
  const families = new Map<string, Family>();
  for (const metric of await metrics().registry.getMetricsAsJSON()) {
    const labels = new Set<string>();
    for (const value of metric.values) for (const key of Object.keys(value.labels)) labels.add(key);
    const declared = (metrics().registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] }).labelNames ?? [];
    for (const label of declared) labels.add(label);
    const family = { name: metric.name, type: String(metric.type), labels: [...labels] };
    families.set(metric.name, family);
    if (family.type === "histogram") {
      families.set(`${metric.name}_bucket`, { ...family, labels: [...family.labels, "le"] });
      families.set(`${metric.name}_sum`, family);
      families.set(`${metric.name}_count`, family);
    }
  }
  for (const [name, labels] of PROMETHEUS_SERIES) families.set(name, { name, type: "gauge", labels });
  return families;
}

/** Checks one PromQL expression: every series exists, every matcher and grouping label is one it has. */
function checkExpression(expr: string, families: Map<string, Family>): string[] {
  const problems: string[] = [];
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const used: Family[] = [];
  for (const match of withoutStrings.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?/g)) {
    const [, name, selector] = match;
    if (PROMQL_WORDS.has(name!) || /^\d/.test(name!) || /^[smhdwy]$/.test(name!)) continue;
    const before = withoutStrings.slice(0, match.index);
    if (/\(\s*[\w\s,]*$/.test(before) && /(by|without|on|ignoring)\s*\([\w\s,]*$/.test(before)) continue; // a grouping label
    if (/\[\s*$/.test(before)) continue;
    const family = families.get(name!);
    if (!family) {
      problems.push(`${name} is not a series the app exports`);
      continue;
    }
    used.push(family);
    for (const [, label] of (selector ?? "").matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      if (!family.labels.includes(label!)) problems.push(`${name} has no label ${label}`);
    }
  }
  if (used.length === 0) problems.push("queries no series");
  for (const [, list] of withoutStrings.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) {
    for (const label of list!.split(",").map((l) => l.trim()).filter(Boolean)) {
      if (!used.some((family) => family.labels.includes(label))) problems.push(`no series in it has the grouping label ${label}`);
    }
  }
  let depth = 0;
  for (const char of withoutStrings) {
    depth += char === "(" ? 1 : char === ")" ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) problems.push("unbalanced parentheses");
  return problems;
}

type Panel = { id: number; type: string; title: string; datasource?: { uid: string }; targets?: { expr: string; refId: string }[]; gridPos: { w: number; h: number } };

describe("monitoring configuration", () => {
  const dashboard = JSON.parse(readFileSync(path.join(MONITORING, "grafana", "dashboards", "personal-automations.json"), "utf8")) as { uid: string; title: string; panels: Panel[] };
  const datasource = parse(readFileSync(path.join(MONITORING, "grafana", "provisioning", "datasources", "prometheus.yml"), "utf8")) as { datasources: { uid: string }[] };
  const alerts = parse(readFileSync(path.join(MONITORING, "prometheus", "alerts.yml"), "utf8")) as {
    groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string; description: string } }[] }[];
  };

  it("checks expressions for real: a made-up series or label is caught", async () => {
    const families = await registryFamilies();
    expect(checkExpression('sum by (route) (rate(pa_http_requests_total{status=~"5.."}[5m]))', families)).toEqual([]);
    expect(checkExpression("rate(pa_no_such_total[5m])", families)).toEqual(["pa_no_such_total is not a series the app exports", "queries no series"]);
    expect(checkExpression('pa_job_queue_depth{queue="x"}', families)).toEqual(["pa_job_queue_depth has no label queue"]);
    expect(checkExpression("max by (pipeline) (pa_job_queue_depth)", families)).toEqual(["no series in it has the grouping label pipeline"]);
  });

  it("the dashboard loads, uses the provisioned data source, and queries only series that exist", async () => {
    const families = await registryFamilies();
    expect(dashboard.uid).toBe("personal-automations");
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const graphs = dashboard.panels.filter((p) => p.type !== "row");
    expect(graphs.length).toBeGreaterThan(20);
    for (const panel of graphs) {
      expect(panel.datasource?.uid, panel.title).toBe(datasource.datasources[0]!.uid);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(checkExpression(target.expr, families), `${panel.title}: ${target.expr}`).toEqual([]);
    }
  });

  it("the dashboard shows every series the app defines", async () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr).join("\n");
    const own = [...(await registryFamilies()).values()].filter((f) => /^pa_/.test(f.name) && !/^pa_(process|nodejs)_/.test(f.name) && !/_(bucket|sum|count)$/.test(f.name));
    expect(own.length).toBeGreaterThan(20);
    for (const family of own) expect(exprs, family.name).toMatch(new RegExp(`\\b${family.name}(_bucket|_sum|_count)?\\b`));
  });

  it("the alert rules load, each with a duration, severity and words for the operator, over series that exist", async () => {
    const families = await registryFamilies();
    const rules = alerts.groups.flatMap((g) => g.rules);
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(expect.arrayContaining(["AgentSilentWhileWorkWaits", "JobQueueStale", "ScheduleOverdue", "ScheduleSlotsStartLate", "WebhookEventsFailing", "HighErrorRate", "TriageReviewSpike"]));
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(["warning", "critical"], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length, rule.alert).toBeGreaterThan(10);
      expect(checkExpression(rule.expr, families), `${rule.alert}: ${rule.expr}`).toEqual([]);
    }
  });
});
