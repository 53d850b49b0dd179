import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// The monitoring profile: Prometheus scrapes the app with the token and loads the alert rules,
// Grafana gets the provisioned data source and dashboard; both only on 127.0.0.1. Where
// docker-compose is installed (CI installs it), compose itself must accept the file with the profile.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const COMPOSE_FILE = path.join(ROOT, "docker-compose.yml");
const SAMPLE_ENV: Record<string, string> = {
  AUTH_SECRET: "c2FtcGxlLWF1dGgtc2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5",
  ENCRYPTION_KEYS: "k1:dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcyEhISE=",
  POSTGRES_PASSWORD: "5f0c4e6a9b1d2e3f4a5b6c7d8e9f0a1b",
  INNGEST_EVENT_KEY: "e0e1e2e3e4e5e6e7e8e9eaebecedeeef",
  INNGEST_SIGNING_KEY: "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
  METRICS_TOKEN: "sample-metrics-token-0123456789",
};

type Service = { image?: string; profiles?: string[]; volumes?: string[]; ports?: string[]; command?: string[] | string; environment?: Record<string, string>; entrypoint?: string[] };
const compose = parse(readFileSync(COMPOSE_FILE, "utf8")) as { services: Record<string, Service> };
const { app, prometheus, grafana } = compose.services;

/** host path → container path of a service's bind mounts. */
function mounts(service: Service | undefined): Map<string, string> {
  return new Map(
    (service?.volumes ?? []).filter((v) => v.startsWith("./")).map((v) => {
      const [host, container] = v.split(":");
      return [container!, path.resolve(ROOT, host!)];
    }),
  );
}

function composeBinary(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v docker-compose"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

describe("docker-compose.yml --profile monitoring", () => {
  it("adds Prometheus and Grafana only under the monitoring profile, bound to this machine", () => {
    expect(prometheus?.profiles).toEqual(["monitoring"]);
    expect(grafana?.profiles).toEqual(["monitoring"]);
    expect(prometheus?.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana?.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    for (const port of [...(prometheus?.ports ?? []), ...(grafana?.ports ?? [])]) expect(port).toMatch(/^"?127\.0\.0\.1:/);
  });

  it("scrapes the app's /api/metrics with the app's METRICS_TOKEN, read from a file, and loads the alert rules", () => {
    const files = mounts(prometheus);
    const config = parse(readFileSync(files.get("/etc/prometheus/prometheus.yml")!, "utf8")) as {
      rule_files: string[];
      scrape_configs: { metrics_path: string; authorization: { type: string; credentials_file: string }; static_configs: { targets: string[] }[] }[];
    };
    const [job] = config.scrape_configs;
    expect(job!.metrics_path).toBe("/api/metrics");
    expect(job!.static_configs[0]!.targets).toEqual(["app:3000"]);
    expect(job!.authorization.type).toBe("Bearer");
    const command = [prometheus?.entrypoint ?? [], prometheus?.command ?? []].flat().join(" ");
    expect(command).toContain(`> ${job!.authorization.credentials_file}`);
    expect(prometheus?.environment?.METRICS_TOKEN).toBe(app?.environment?.METRICS_TOKEN);
    for (const rules of config.rule_files) expect(existsSync(files.get(rules) ?? ""), rules).toBe(true);
  });

  it("provisions Grafana's Prometheus data source and the dashboard from the repository", () => {
    const files = mounts(grafana);
    const provisioning = files.get("/etc/grafana/provisioning")!;
    const datasources = parse(readFileSync(path.join(provisioning, "datasources", "prometheus.yml"), "utf8")) as { datasources: { uid: string; url: string }[] };
    expect(datasources.datasources[0]).toMatchObject({ uid: "prometheus", url: "http://prometheus:9090" });
    const providers = parse(readFileSync(path.join(provisioning, "dashboards", "personal-automations.yml"), "utf8")) as { providers: { options: { path: string } }[] };
    const dashboards = files.get(providers.providers[0]!.options.path)!;
    expect(existsSync(path.join(dashboards, "personal-automations.json"))).toBe(true);
  });

  it("is accepted by docker-compose config with the profile", () => {
    const binary = composeBinary();
    if (!binary) return void expect(existsSync(COMPOSE_FILE)).toBe(true);
    const envFile = path.join(mkdtempSync(path.join(tmpdir(), "pa-compose-")), "sample.env");
    writeFileSync(envFile, Object.entries(SAMPLE_ENV).map(([k, v]) => `${k}=${v}`).join("\n"));
    const result = spawnSync(binary, ["--env-file", envFile, "-f", COMPOSE_FILE, "--profile", "monitoring", "config"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir(), NODE_ENV: "test" },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, Service> };
    expect(Object.keys(resolved.services).sort()).toEqual(["app", "grafana", "inngest", "postgres", "prometheus"]);
    expect(resolved.services.prometheus?.environment?.METRICS_TOKEN).toBe(SAMPLE_ENV.METRICS_TOKEN);
  });
});
