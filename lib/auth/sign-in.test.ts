import { describe, expect, it } from "vitest";
import { INVALID_CREDENTIALS, signInWithGoogle, signInWithPassword } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { createUser, setUserDisabled } from "@/lib/users/service";
import { failure } from "@/tests/setup/app-error";
import { envForFile } from "@/tests/setup/config-env";

// Against the file's own PostgreSQL. Every test uses its own emails and addresses, so the
// rate-limit counters of one test never reach another.

const MAX_FAILURES = 3;
const WINDOW_MINUTES = 15;
const PASSWORD = "correct horse battery";

envForFile({ SIGN_IN_MAX_FAILURES: String(MAX_FAILURES), SIGN_IN_WINDOW_MINUTES: String(WINDOW_MINUTES) });

function attemptsFor(email: string) {
  return getDb().signInAttempt.findMany({ where: { email }, orderBy: { createdAt: "asc" } });
}

/** Moves an email's recorded attempts into the past, as if that much time had gone by. */
async function shiftAttempts(email: string, ms: number): Promise<void> {
  for (const attempt of await attemptsFor(email)) {
    await getDb().signInAttempt.update({
      where: { id: attempt.id },
      data: { createdAt: new Date(attempt.createdAt.getTime() - ms) },
    });
  }
}

async function failTimes(times: number, email: string, ip: string): Promise<void> {
  for (let i = 0; i < times; i++) {
    expect((await failure(signInWithPassword(email, "wrong password!", ip))).code).toBe("unauthorized");
  }
}

describe("signInWithPassword", () => {
  it("signs in with the right password, records the attempt and the sign-in time", async () => {
    const { user } = await createUser({ email: "ada@example.com", name: "Ada", password: PASSWORD });
    const before = Date.now();

    const signedIn = await signInWithPassword("ada@example.com", PASSWORD, "10.0.0.1");

    expect(signedIn).toEqual({ id: user.id, email: "ada@example.com", name: "Ada", role: "member", sessionVersion: 1 });
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastSignInAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await attemptsFor("ada@example.com")).toMatchObject([
      { ip: "10.0.0.1", userId: user.id, method: "password", success: true, reason: null },
    ]);
  });

  it("refuses a wrong password with the generic message and records it", async () => {
    const { user } = await createUser({ email: "bob@example.com", password: PASSWORD });

    const error = await failure(signInWithPassword("bob@example.com", "not the password", "10.0.0.2"));

    expect(error.status).toBe(401);
    expect(error.message).toBe(INVALID_CREDENTIALS);
    expect(await attemptsFor("bob@example.com")).toMatchObject([
      { ip: "10.0.0.2", userId: user.id, success: false, reason: "bad_credentials" },
    ]);
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastSignInAt).toBeNull();
  });

  it("gives an unknown email exactly the same answer as a wrong password", async () => {
    const error = await failure(signInWithPassword("nobody@example.com", PASSWORD, "10.0.0.3"));

    expect(error.status).toBe(401);
    expect(error.message).toBe(INVALID_CREDENTIALS);
    expect(await attemptsFor("nobody@example.com")).toMatchObject([
      { userId: null, success: false, reason: "bad_credentials" },
    ]);
  });

  it("refuses a disabled account with 403, but only once the password is right", async () => {
    await createUser({ email: "carol@example.com", password: PASSWORD });
    await setUserDisabled("carol@example.com", true);

    const refused = await failure(signInWithPassword("carol@example.com", PASSWORD, "10.0.0.4"));
    expect(refused.status).toBe(403);
    expect(refused.message).toMatch(/disabled/);

    // A wrong password must not reveal that the account exists and is disabled.
    const wrong = await failure(signInWithPassword("carol@example.com", "wrong password!", "10.0.0.4"));
    expect(wrong.status).toBe(401);
    expect(wrong.message).toBe(INVALID_CREDENTIALS);

    expect((await attemptsFor("carol@example.com")).map((a) => a.reason)).toEqual(["disabled", "bad_credentials"]);
  });

  it("normalises the email's case and surrounding spaces", async () => {
    const { user } = await createUser({ email: "Dora.Mixed@Example.com", password: PASSWORD });

    const signedIn = await signInWithPassword("  DORA.mixed@EXAMPLE.com ", PASSWORD, "10.0.0.5");

    expect(signedIn.id).toBe(user.id);
    expect(signedIn.email).toBe("dora.mixed@example.com");
    expect(await attemptsFor("dora.mixed@example.com")).toHaveLength(1);
  });

  it(`locks an email after ${MAX_FAILURES} failures, even for the right password, without touching other people`, async () => {
    await createUser({ email: "eve@example.com", password: PASSWORD });
    await createUser({ email: "frank@example.com", password: PASSWORD });
    // Changing the case of the email does not buy extra attempts.
    await failTimes(1, "eve@example.com", "10.1.0.1");
    await failTimes(MAX_FAILURES - 1, "EVE@example.com", "10.1.0.2");

    const limited = await failure(signInWithPassword("eve@example.com", PASSWORD, "10.1.0.3"));

    expect(limited.status).toBe(429);
    expect(limited.code).toBe("rate_limited");
    expect(limited.message).toBe(`Too many failed sign-in attempts. Try again in ${WINDOW_MINUTES} minutes.`);
    expect(limited.details).toEqual({ retryAfterSeconds: WINDOW_MINUTES * 60 });
    const recorded = await attemptsFor("eve@example.com");
    expect(recorded.at(-1)).toMatchObject({ ip: "10.1.0.3", success: false, reason: "rate_limited" });
    const eve = await getDb().user.findUniqueOrThrow({ where: { email: "eve@example.com" } });
    expect(eve.lastSignInAt).toBeNull();

    // Someone else, elsewhere, signs in as usual.
    expect((await signInWithPassword("frank@example.com", PASSWORD, "10.1.0.9")).email).toBe("frank@example.com");
  });

  it("lets the email in again once its failures are older than the window", async () => {
    await createUser({ email: "gina@example.com", password: PASSWORD });
    await failTimes(MAX_FAILURES, "gina@example.com", "10.2.0.1");
    expect((await failure(signInWithPassword("gina@example.com", PASSWORD, "10.2.0.1"))).status).toBe(429);

    await getDb().signInAttempt.updateMany({
      where: { email: "gina@example.com" },
      data: { createdAt: new Date(Date.now() - (WINDOW_MINUTES + 1) * 60_000) },
    });

    expect((await signInWithPassword("gina@example.com", PASSWORD, "10.2.0.1")).email).toBe("gina@example.com");
  });

  it("counts down the minutes from the oldest failure in the window", async () => {
    await createUser({ email: "hal@example.com", password: PASSWORD });
    await failTimes(MAX_FAILURES, "hal@example.com", "10.3.0.1");
    await getDb().signInAttempt.updateMany({
      where: { email: "hal@example.com" },
      data: { createdAt: new Date(Date.now() - (WINDOW_MINUTES - 1) * 60_000 - 30_000) },
    });

    const limited = await failure(signInWithPassword("hal@example.com", PASSWORD, "10.3.0.1"));

    expect(limited.message).toBe("Too many failed sign-in attempts. Try again in 1 minute.");
    expect(limited.details).toEqual({ retryAfterSeconds: 60 });
  });

  it("keeps its promise to a user who keeps retrying while locked", async () => {
    await createUser({ email: "hugo@example.com", password: PASSWORD });
    await failTimes(MAX_FAILURES, "hugo@example.com", "10.3.1.1");
    await shiftAttempts("hugo@example.com", (WINDOW_MINUTES - 1) * 60_000 + 30_000);
    // Impatient retries while locked: each is refused, none checks a password.
    for (let i = 0; i < MAX_FAILURES; i++) {
      const limited = await failure(signInWithPassword("hugo@example.com", PASSWORD, "10.3.1.1"));
      expect(limited.message).toBe("Too many failed sign-in attempts. Try again in 1 minute.");
    }

    await shiftAttempts("hugo@example.com", 60_000);

    expect((await signInWithPassword("hugo@example.com", PASSWORD, "10.3.1.1")).email).toBe("hugo@example.com");
  });

  it("tells a locked email when its own failures expire, not when an older one from the same address does", async () => {
    const ip = "10.3.2.1";
    await createUser({ email: "iris@example.com", password: PASSWORD });
    // A housemate mistyped their own email from the same address 14 minutes ago.
    await failTimes(1, "housemate@example.com", ip);
    await shiftAttempts("housemate@example.com", (WINDOW_MINUTES - 1) * 60_000);
    await failTimes(MAX_FAILURES, "iris@example.com", ip);

    const limited = await failure(signInWithPassword("iris@example.com", PASSWORD, ip));

    expect(limited.message).toBe(`Too many failed sign-in attempts. Try again in ${WINDOW_MINUTES} minutes.`);
  });

  it("limits one address trying many emails, at four times the per-email limit", async () => {
    const ip = "10.4.0.1";
    await createUser({ email: "ivy@example.com", password: PASSWORD });
    // Spread over many emails, so no single email reaches its own limit.
    for (let i = 0; i < MAX_FAILURES * 4; i++) await failTimes(1, `guess${i}@example.com`, ip);

    const limited = await failure(signInWithPassword("ivy@example.com", PASSWORD, ip));
    expect(limited.status).toBe(429);

    // The same account from another address is fine: the lock is on the address.
    expect((await signInWithPassword("ivy@example.com", PASSWORD, "10.4.0.2")).email).toBe("ivy@example.com");
  });

  it("does not lock an address below four times the per-email limit", async () => {
    const ip = "10.5.0.1";
    await createUser({ email: "jan@example.com", password: PASSWORD });
    for (let i = 0; i < MAX_FAILURES * 4 - 1; i++) await failTimes(1, `try${i}@example.com`, ip);

    expect((await signInWithPassword("jan@example.com", PASSWORD, ip)).email).toBe("jan@example.com");
  });
});

describe("signInWithGoogle", () => {
  it("signs in an existing, enabled account with a verified email", async () => {
    const { user } = await createUser({ email: "kim@example.com", name: "Kim" });

    const signedIn = await signInWithGoogle("Kim@Example.com", true, "10.6.0.1");

    expect(signedIn).toEqual({ id: user.id, email: "kim@example.com", name: "Kim", role: "member", sessionVersion: 1 });
    const stored = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.lastSignInAt).not.toBeNull();
    expect(await attemptsFor("kim@example.com")).toMatchObject([{ method: "google", success: true, reason: null }]);
  });

  it("never creates an account for an unknown email", async () => {
    expect(await signInWithGoogle("stranger@example.com", true, "10.6.0.2")).toBeNull();
    expect(await getDb().user.count({ where: { email: "stranger@example.com" } })).toBe(0);
    expect(await attemptsFor("stranger@example.com")).toMatchObject([
      { method: "google", success: false, reason: "no_account", userId: null },
    ]);
  });

  it("refuses a disabled account", async () => {
    await createUser({ email: "lee@example.com" });
    await setUserDisabled("lee@example.com", true);

    expect(await signInWithGoogle("lee@example.com", true, "10.6.0.3")).toBeNull();
    expect((await attemptsFor("lee@example.com")).map((a) => a.reason)).toEqual(["disabled"]);
  });

  it("refuses an email Google has not verified", async () => {
    await createUser({ email: "max@example.com" });

    expect(await signInWithGoogle("max@example.com", false, "10.6.0.4")).toBeNull();
    expect((await attemptsFor("max@example.com")).map((a) => a.reason)).toEqual(["email_not_verified"]);
    const stored = await getDb().user.findUniqueOrThrow({ where: { email: "max@example.com" } });
    expect(stored.lastSignInAt).toBeNull();
  });
});
