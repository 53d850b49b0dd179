import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/logger";
import { runWithRequestContext } from "@/lib/request-context";

function capture(level = "info") {
  const lines: string[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(line) });
  return { log, lines, text: () => lines.join(""), entries: () => lines.map((l) => JSON.parse(l)) };
}

const SECRETS = {
  password: "pw-hunter2-plain",
  passwordHash: "scrypt$32768$8$1$salt$hash-value",
  token: "tok-agent-0123456789",
  accessToken: "ya29.access-token-value",
  refreshToken: "1//refresh-token-value",
  secret: "webhook-signing-secret",
  authorization: "Bearer bearer-token-value",
  cookie: "next-auth.session-token=session-cookie-value",
};

describe("logger redaction", () => {
  it("never writes secret fields logged at the top level", () => {
    const out = capture();
    out.log.info({ ...SECRETS, email: "ada@example.com" }, "signing in");

    for (const value of Object.values(SECRETS)) expect(out.text()).not.toContain(value);
    const [entry] = out.entries();
    expect(entry.password).toBe("[redacted]");
    expect(entry.authorization).toBe("[redacted]");
    expect(entry.email).toBe("ada@example.com");
    expect(entry.msg).toBe("signing in");
  });

  it("never writes secret fields one level down, such as request headers or a user object", () => {
    const out = capture();
    out.log.warn(
      {
        headers: { authorization: SECRETS.authorization, cookie: SECRETS.cookie, "user-agent": "curl/8" },
        user: { email: "ada@example.com", password: SECRETS.password, passwordHash: SECRETS.passwordHash },
        account: { accessToken: SECRETS.accessToken, refreshToken: SECRETS.refreshToken },
        agent: { token: SECRETS.token },
        webhook: { secret: SECRETS.secret },
      },
      "request",
    );

    for (const value of Object.values(SECRETS)) expect(out.text()).not.toContain(value);
    const [entry] = out.entries();
    expect(entry.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]", "user-agent": "curl/8" });
    expect(entry.user.email).toBe("ada@example.com");
  });

  it("redacts secrets bound to a child logger too", () => {
    const out = capture();
    out.log.child({ component: "agent", token: SECRETS.token }).info("called");

    expect(out.text()).not.toContain(SECRETS.token);
    expect(out.entries()[0]).toMatchObject({ component: "agent", msg: "called" });
  });

  it("does not change the object that was logged", () => {
    const out = capture();
    const input = { user: { password: SECRETS.password } };
    out.log.info(input, "x");
    expect(input.user.password).toBe(SECRETS.password);
  });
});

describe("logger request ids", () => {
  it("stamps every line written inside a request with its id, and none outside", async () => {
    const out = capture();
    // A child made outside the request still picks up the id of the request it logs for.
    const child = out.log.child({ component: "auth" });

    await runWithRequestContext({ requestId: "req_first" }, async () => {
      out.log.info("start");
      await new Promise((resolve) => setTimeout(resolve, 1));
      child.info("after an await");
    });
    out.log.info("outside");

    expect(out.entries().map((e) => [e.msg, e.requestId])).toEqual([
      ["start", "req_first"],
      ["after an await", "req_first"],
      ["outside", undefined],
    ]);
  });

  it("keeps concurrent requests apart", async () => {
    const out = capture();
    const work = (id: string) =>
      runWithRequestContext({ requestId: id }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        out.log.info({ mine: id }, "done");
      });

    await Promise.all([work("req_a"), work("req_b"), work("req_c")]);

    for (const entry of out.entries()) expect(entry.requestId).toBe(entry.mine);
    expect(out.entries()).toHaveLength(3);
  });
});

describe("logger levels", () => {
  it("writes JSON lines with the level name, service and time, honouring the level", () => {
    const out = capture("warn");
    out.log.info("too chatty");
    out.log.warn("worth knowing");

    const entries = out.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ level: "warn", service: "personal-automations", msg: "worth knowing" });
    expect(new Date(entries[0].time).toISOString()).toBe(entries[0].time);
  });

  it("writes nothing when silent", () => {
    const out = capture("silent");
    out.log.error({ password: SECRETS.password }, "boom");
    expect(out.lines).toEqual([]);
  });
});
