import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

const SECRET = "a-secret-that-is-at-least-32-characters-long";

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

describe("parseConfig", () => {
  it("starts with sensible defaults when nothing is set", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      EMBEDDED_PG_PORT: 54329,
      APP_URL: "http://localhost:3000",
      SESSION_MAX_AGE_HOURS: 12,
      SIGN_IN_MAX_FAILURES: 5,
      SIGN_IN_WINDOW_MINUTES: 15,
      OWNER_EMAIL: "owner@example.com",
      SENTRY_TRACES_SAMPLE_RATE: 0,
      googleSignIn: false,
      embeddedDatabase: false,
      logLevel: "info",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.AUTH_SECRET).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve(".data"));
    expect(config.contextHubDir).toBe(path.resolve(".data", "context-hub"));
  });

  it("reads numbers, URLs and flags from their string form", () => {
    const config = parseConfig({
      PORT: "8080",
      DATABASE_URL: "postgresql://pa:pw@db.internal:5432/pa",
      AUTH_SECRET: SECRET,
      SIGN_IN_MAX_FAILURES: "3",
      GOOGLE_CLIENT_ID: "id.apps.googleusercontent.com",
      GOOGLE_CLIENT_SECRET: "google-secret",
      PA_EMBEDDED_DATABASE: "1",
      DATA_DIR: "/srv/pa",
      LOG_LEVEL: "debug",
    });
    expect(config.PORT).toBe(8080);
    expect(config.SIGN_IN_MAX_FAILURES).toBe(3);
    expect(config.DATABASE_URL).toBe("postgresql://pa:pw@db.internal:5432/pa");
    expect(config.googleSignIn).toBe(true);
    expect(config.embeddedDatabase).toBe(true);
    expect(config.dataDir).toBe("/srv/pa");
    expect(config.contextHubDir).toBe("/srv/pa/context-hub");
    expect(config.logLevel).toBe("debug");
  });

  it("keeps tests quiet unless a log level is asked for", () => {
    expect(parseConfig({ NODE_ENV: "test" }).logLevel).toBe("silent");
    expect(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "warn" }).logLevel).toBe("warn");
  });

  it.each([
    ["PORT", { PORT: "abc" }],
    ["PORT", { PORT: "70000" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://root@localhost/pa" }],
    ["DATABASE_URL", { DATABASE_URL: "not a url" }],
    ["AUTH_SECRET", { AUTH_SECRET: "too-short" }],
    ["GOOGLE_CLIENT_SECRET", { GOOGLE_CLIENT_ID: "id.apps.googleusercontent.com" }],
    ["GOOGLE_CLIENT_ID", { GOOGLE_CLIENT_SECRET: "google-secret" }],
    ["NODE_ENV", { NODE_ENV: "staging" }],
    ["OWNER_EMAIL", { OWNER_EMAIL: "owner" }],
    ["SENTRY_TRACES_SAMPLE_RATE", { SENTRY_TRACES_SAMPLE_RATE: "2" }],
  ])("names %s when it is invalid (%j)", (variable, env) => {
    const error = configError(env);
    expect(error.problems.map((p) => p.variable)).toEqual([variable]);
    expect(error.message).toContain(`${variable}:`);
  });

  it("reports every bad variable at once, not just the first", () => {
    const error = configError({ PORT: "abc", DATABASE_URL: "mysql://root@localhost/pa", AUTH_SECRET: "short" });
    expect(error.problems.map((p) => p.variable).sort()).toEqual(["AUTH_SECRET", "DATABASE_URL", "PORT"]);
    expect(error.message).toMatch(/AUTH_SECRET: must be at least 32 characters/);
    expect(error.message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it("answers API requests directly unless DIRECT_API is off, and names a value that is neither", () => {
    expect(parseConfig({}).DIRECT_API).toBe(true);
    expect(parseConfig({ DIRECT_API: "" }).DIRECT_API).toBe(true);
    expect(parseConfig({ DIRECT_API: "off" }).DIRECT_API).toBe(false);
    expect(parseConfig({ DIRECT_API: "0" }).DIRECT_API).toBe(false);
    expect(parseConfig({ DIRECT_API: "on" }).DIRECT_API).toBe(true);
    expect(configError({ DIRECT_API: "maybe" }).message).toMatch(/DIRECT_API: must be on or off/);
  });

  it("treats empty and blank values as unset", () => {
    const config = parseConfig({
      DATABASE_URL: "",
      AUTH_SECRET: "  ",
      GOOGLE_CLIENT_ID: "",
      GOOGLE_CLIENT_SECRET: "",
      SENTRY_DSN: "",
      CONTEXT_HUB_DIR: "",
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.AUTH_SECRET).toBeUndefined();
    expect(config.SENTRY_DSN).toBeUndefined();
    expect(config.googleSignIn).toBe(false);
    expect(config.contextHubDir).toBe(path.resolve(".data", "context-hub"));
  });

  it("treats an empty number or URL as unset, falling back to the default", () => {
    // `PORT=` in a .env file or `-e PORT=` in docker run means "not set", not "port 0".
    const config = parseConfig({ PORT: "", EMBEDDED_PG_PORT: "", APP_URL: "", SIGN_IN_MAX_FAILURES: "" });
    expect(config.PORT).toBe(3000);
    expect(config.EMBEDDED_PG_PORT).toBe(54329);
    expect(config.APP_URL).toBe("http://localhost:3000");
    expect(config.SIGN_IN_MAX_FAILURES).toBe(5);
  });

  it("serves the app's URL on the configured port unless APP_URL says otherwise", () => {
    expect(parseConfig({ PORT: "3917" }).APP_URL).toBe("http://localhost:3917");
    expect(parseConfig({ PORT: "3917", APP_URL: "https://pa.example.com" }).APP_URL).toBe("https://pa.example.com");
  });
});

describe("background work and encryption settings", () => {
  const key = Buffer.alloc(32, 7).toString("base64");

  it("runs background work in-process unless an Inngest server is configured", () => {
    expect(parseConfig({}).inngestMode).toBe("in-process");
    expect(parseConfig({ INNGEST_DEV: "0" }).inngestMode).toBe("in-process");
    expect(parseConfig({ INNGEST_DEV: "false" }).inngestMode).toBe("in-process");
    expect(parseConfig({ INNGEST_DEV: "1" }).inngestMode).toBe("dev");
    expect(parseConfig({ INNGEST_DEV: "http://127.0.0.1:8288" }).inngestMode).toBe("dev");
    expect(parseConfig({ INNGEST_EVENT_KEY: "e", INNGEST_SIGNING_KEY: "abcd" }).inngestMode).toBe("server");
  });

  it("names the missing half of the Inngest key pair", () => {
    expect(configError({ INNGEST_EVENT_KEY: "e" }).message).toContain("INNGEST_SIGNING_KEY");
    expect(configError({ INNGEST_SIGNING_KEY: "abcd" }).message).toContain("INNGEST_EVENT_KEY");
  });

  it("parses encryption keys, current first, and refuses malformed ones by name", () => {
    const config = parseConfig({ ENCRYPTION_KEYS: `k2:${key}, k1:${key}` });
    expect(config.encryptionKeys.map((k) => [k.id, k.key.length])).toEqual([["k2", 32], ["k1", 32]]);
    expect(configError({ ENCRYPTION_KEYS: "k1:c2hvcnQ=" }).message).toMatch(/ENCRYPTION_KEYS: each key must be 32 bytes/);
    expect(configError({ ENCRYPTION_KEYS: `Bad Id:${key}` }).message).toContain("ENCRYPTION_KEYS");
    expect(configError({ ENCRYPTION_KEYS: `k1:${key},k1:${key}` }).message).toMatch(/unique/);
  });

  it("trusts no proxy by default and refuses a TRUSTED_PROXIES entry it cannot match, by name", () => {
    expect(parseConfig({}).TRUSTED_PROXIES).toBeUndefined();
    expect(parseConfig({ TRUSTED_PROXIES: "loopback, 172.18.0.0/16, ::1" }).TRUSTED_PROXIES).toBe("loopback, 172.18.0.0/16, ::1");
    expect(configError({ TRUSTED_PROXIES: "loopback, nginx" }).message).toMatch(/TRUSTED_PROXIES: "nginx" is not an IP address/);
    expect(configError({ TRUSTED_PROXIES: "10.0.0.0/40" }).message).toMatch(/TRUSTED_PROXIES: .*at most 32/);
  });
});
