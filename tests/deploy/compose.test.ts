import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "@/lib/config";

// docker-compose.yml as a user runs it: the structure is checked on the file with the variables
// substituted the way compose does, and, where a docker-compose binary is installed (CI installs
// it), compose itself must accept the file and refuse it without each required secret.

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const COMPOSE_FILE = path.join(ROOT, "docker-compose.yml");
const REQUIRED_SECRETS = ["AUTH_SECRET", "ENCRYPTION_KEYS", "POSTGRES_PASSWORD", "INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"];
const SAMPLE_ENV: Record<string, string> = {
  AUTH_SECRET: "c2FtcGxlLWF1dGgtc2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5",
  ENCRYPTION_KEYS: "k1:dGVzdC1lbmNyeXB0aW9uLWtleS0zMi1ieXRlcyEhISE=",
  POSTGRES_PASSWORD: "5f0c4e6a9b1d2e3f4a5b6c7d8e9f0a1b",
  INNGEST_EVENT_KEY: "e0e1e2e3e4e5e6e7e8e9eaebecedeeef",
  INNGEST_SIGNING_KEY: "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
};

type Healthcheck = { test?: string[] | string };
type Service = {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  volumes?: string[];
  ports?: string[];
};
type Compose = { services: Record<string, Service> };

class MissingVariableError extends Error {}

/** Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, $$. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === "$$") return "$";
    const value = env[name as string];
    const unset = value === undefined || ((op as string | undefined)?.startsWith(":") && value === "");
    if (!unset) return value as string;
    if (op === ":?" || op === "?") throw new MissingVariableError(`${name}: ${arg}`);
    if (op === ":-" || op === "-") return arg as string;
    return "";
  });
}

function interpolateDeep(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

function loadCompose(env: Record<string, string | undefined>): Compose {
  return interpolateDeep(parse(readFileSync(COMPOSE_FILE, "utf8")), env) as Compose;
}

function composeBinary(): string | undefined {
  const found = spawnSync("sh", ["-c", "command -v docker-compose"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Runs `docker-compose config -q` with exactly `env` (no .env file, none of this process's variables). */
function runComposeConfig(binary: string, env: Record<string, string>) {
  const emptyEnvFile = path.join(mkdtempSync(path.join(tmpdir(), "pa-compose-")), "empty.env");
  writeFileSync(emptyEnvFile, "");
  return spawnSync(binary, ["--env-file", emptyEnvFile, "-f", COMPOSE_FILE, "config", "-q"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir(), NODE_ENV: "test", ...env },
  });
}

function withoutVariable(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(SAMPLE_ENV).filter(([key]) => key !== name));
}

function commandOf(service: Service): string[] {
  const command = service.command ?? [];
  return Array.isArray(command) ? command : command.split(/\s+/);
}

/** The value of `--flag value` or `--flag=value` in a command, if present. */
function flagValue(command: string[], flag: string): string | undefined {
  const index = command.findIndex((part) => part === flag || part.startsWith(`${flag}=`));
  if (index < 0) return undefined;
  const part = command[index] as string;
  return part.includes("=") ? part.slice(flag.length + 1) : command[index + 1];
}

describe("docker-compose.yml", () => {
  const compose = loadCompose(SAMPLE_ENV);
  const { app, postgres, inngest } = compose.services;

  it("runs the app with its own PostgreSQL and Inngest, and nothing else by default", () => {
    // Prometheus and Grafana come only with --profile monitoring (tests/deploy/monitoring-compose.test.ts).
    const byDefault = Object.entries(compose.services).filter(([, service]) => !(service as { profiles?: string[] }).profiles);
    expect(byDefault.map(([name]) => name).sort()).toEqual(["app", "inngest", "postgres"]);
    expect(app?.build).toBeDefined();
    expect(postgres?.image).toMatch(/^postgres:17-alpine$/);
    expect(inngest?.image).toMatch(/^inngest\/inngest(:|$)/);
  });

  it("gives every service a health check", () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const test = service.healthcheck?.test;
      expect(test, `${name} has no healthcheck`).toBeDefined();
      expect(Array.isArray(test) ? test.slice(1).join(" ") : test, `${name}'s healthcheck is empty`).toMatch(/\S/);
      expect(test, `${name}'s healthcheck is disabled`).not.toEqual(["NONE"]);
    }
    expect(JSON.stringify(app?.healthcheck?.test)).toContain("/api/health");
    expect(JSON.stringify(postgres?.healthcheck?.test)).toContain("pg_isready");
  });

  it("starts the app only once PostgreSQL and Inngest are healthy, and Inngest after PostgreSQL", () => {
    expect(app?.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(app?.depends_on?.inngest?.condition).toBe("service_healthy");
    expect(inngest?.depends_on?.postgres?.condition).toBe("service_healthy");
  });

  it("points the app's DATABASE_URL at the postgres service with its credentials", () => {
    const url = new URL(app?.environment?.DATABASE_URL ?? "");
    const env = postgres?.environment ?? {};
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe("postgres");
    expect(url.port || "5432").toBe("5432");
    expect(decodeURIComponent(url.username)).toBe(env.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(env.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${env.POSTGRES_DB}`);
  });

  it("keeps Inngest's data in its own database on the postgres service, created at initialisation", () => {
    const uri = inngest?.environment?.INNGEST_POSTGRES_URI ?? flagValue(commandOf(inngest ?? {}), "--postgres-uri");
    expect(uri, "inngest has no --postgres-uri / INNGEST_POSTGRES_URI").toBeDefined();
    const url = new URL(uri ?? "");
    expect(url.hostname).toBe("postgres");
    expect(decodeURIComponent(url.username)).toBe(postgres?.environment?.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgres?.environment?.POSTGRES_PASSWORD);
    const database = url.pathname.slice(1);
    expect(database).not.toBe(postgres?.environment?.POSTGRES_DB);

    // The database must exist before Inngest connects: an init script mounted into the postgres image.
    const initMount = (postgres?.volumes ?? []).find((volume) => volume.includes(":/docker-entrypoint-initdb.d"));
    expect(initMount, "nothing is mounted into /docker-entrypoint-initdb.d").toBeDefined();
    const hostPath = path.resolve(ROOT, (initMount ?? "").split(":")[0] as string);
    const scripts = readdirSync(hostPath).filter((file) => /\.(sql|sh)$/.test(file));
    const sql = scripts.map((file) => readFileSync(path.join(hostPath, file), "utf8")).join("\n");
    expect(sql).toMatch(new RegExp(`CREATE DATABASE "?${database}"?`, "i"));
  });

  it("connects the app and Inngest to each other with the same keys", () => {
    const baseUrl = new URL(app?.environment?.INNGEST_BASE_URL ?? "");
    expect(baseUrl.hostname).toBe("inngest");
    expect(baseUrl.port).toBe("8288");
    const sdkUrl = new URL(flagValue(commandOf(inngest ?? {}), "--sdk-url") ?? "");
    expect(sdkUrl.hostname).toBe("app");
    expect(sdkUrl.port).toBe("3000");
    expect(sdkUrl.pathname).toBe("/api/inngest");
    expect(commandOf(inngest ?? {}).slice(0, 2)).toEqual(["inngest", "start"]);
    const keys = { INNGEST_EVENT_KEY: "--event-key", INNGEST_SIGNING_KEY: "--signing-key" };
    for (const [key, flag] of Object.entries(keys)) {
      expect(app?.environment?.[key], key).toBe(SAMPLE_ENV[key]);
      const inngestValue = inngest?.environment?.[key] ?? flagValue(commandOf(inngest ?? {}), flag);
      expect(inngestValue, `inngest's ${key}`).toBe(SAMPLE_ENV[key]);
    }
  });

  it("gives the app an environment its configuration accepts", () => {
    const config = parseConfig({ ...app?.environment, NODE_ENV: "production" });
    expect(new URL(config.DATABASE_URL ?? "").hostname).toBe("postgres");
    expect(config.AUTH_SECRET).toBe(SAMPLE_ENV.AUTH_SECRET);
    expect(config.googleSignIn).toBe(false);
    // Background work goes through the self-hosted Inngest, not the in-process driver.
    expect(config.inngestMode).toBe("server");
    expect(config.encryptionKeys.map((k) => k.id)).toEqual(["k1"]);
  });

  it("requires every secret with ${VAR:?message} wherever it is used, never a default", () => {
    const raw = readFileSync(COMPOSE_FILE, "utf8");
    for (const name of REQUIRED_SECRETS) {
      const uses = [...raw.matchAll(new RegExp(`\\$\\{${name}([^}]*)\\}`, "g"))].map((m) => m[1] ?? "");
      expect(uses.length, `${name} is never used`).toBeGreaterThan(0);
      for (const use of uses) expect(use, `\${${name}${use}}`).toMatch(/^:\?\s*\S/);
    }
  });

  it("refuses to resolve without each required secret, naming it", () => {
    const binary = composeBinary();
    for (const name of REQUIRED_SECRETS) {
      if (binary) {
        const result = runComposeConfig(binary, withoutVariable(name));
        expect(result.status, `docker-compose accepted the file without ${name}`).not.toBe(0);
        // docker-compose 1.x echoes the whole mapping first; the message at the end names the variable.
        const named = [...result.stderr.matchAll(/set ([A-Z_]+)/g)].map((m) => m[1]);
        expect(named.at(-1), result.stderr).toBe(name);
      } else {
        expect(() => loadCompose(withoutVariable(name))).toThrow(new RegExp(`^${name}: set ${name}`));
      }
    }
  });

  it("resolves once the required secrets are set", () => {
    const binary = composeBinary();
    if (binary) {
      const result = runComposeConfig(binary, SAMPLE_ENV);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    } else {
      // Without docker-compose here (CI installs it), at least no reference is left unresolved.
      expect(JSON.stringify(loadCompose(SAMPLE_ENV))).not.toMatch(/\$\{/);
    }
  });
});
