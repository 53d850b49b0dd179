import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/lib/db/transaction";
import { newId } from "@/lib/ids";
import * as users from "@/lib/users/repository";
import { DEMO_DISABLED_EMAIL, DEMO_MEMBER_EMAIL } from "./seed-users";
import type { Seeder } from "./types";

// A week of sign-in history for the dashboard's activity list and counters and the account page:
// successes, wrong passwords, a disabled account, unknown emails and a rate-limited burst.
//
// Every demo attempt comes from the documentation-only address ranges of RFC 5737, which no real
// client uses, so replacing demo data can delete exactly these rows. The sign-in repository
// records attempts "now"; history needs its own timestamps, hence the direct createMany here.

const DEMO_NETWORKS = ["198.51.100.", "203.0.113."];
const HOME = "198.51.100.23";
const PHONE = "198.51.100.77";
const OFFICE = "198.51.100.140";
const SCANNER = "203.0.113.66";
const ATTACKER = "203.0.113.9";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Method = "password" | "google";
type Who = "member" | "disabled" | null;
type PlannedAttempt = { ago: number; email: string; who: Who; ip: string; method: Method; success: boolean; reason: string | null };

const ok = (ago: number, ip: string, method: Method = "password"): PlannedAttempt => ({
  ago,
  email: DEMO_MEMBER_EMAIL,
  who: "member",
  ip,
  method,
  success: true,
  reason: null,
});

const failed = (ago: number, email: string, who: Who, ip: string, reason: string, method: Method = "password"): PlannedAttempt => ({
  ago,
  email,
  who,
  ip,
  method,
  success: false,
  reason,
});

/**
 * The plan, oldest last. Every failure against the demo member is older than any sign-in window
 * (hours, not minutes), so seeding never locks the demo account out.
 */
function planAttempts(): PlannedAttempt[] {
  const plan: PlannedAttempt[] = [];
  for (let day = 0; day < 7; day++) {
    plan.push(ok(day * DAY + 3 * HOUR, HOME), ok(day * DAY + 13 * HOUR, PHONE));
  }
  plan.push(ok(1 * DAY + 8 * HOUR, HOME, "google"), ok(4 * DAY + 9 * HOUR, HOME, "google"));
  // A mistyped password a couple of minutes before the success that follows it.
  for (const day of [0, 1, 3, 5, 6]) {
    plan.push(failed(day * DAY + 3 * HOUR + 2 * MINUTE, DEMO_MEMBER_EMAIL, "member", HOME, "bad_credentials"));
  }
  plan.push(failed(6 * DAY + 2 * HOUR, DEMO_MEMBER_EMAIL, "member", PHONE, "email_not_verified", "google"));
  for (const ago of [1 * DAY + 2 * HOUR, 2 * DAY + 5 * HOUR, 5 * DAY + 1 * HOUR]) {
    plan.push(failed(ago, DEMO_DISABLED_EMAIL, "disabled", OFFICE, "disabled"));
  }
  for (const [i, email] of ["admin@example.com", "admin@example.com", "admin@example.com", "root@example.com"].entries()) {
    plan.push(failed(2 * DAY + 22 * HOUR - i * MINUTE, email, null, SCANNER, "bad_credentials"));
  }
  plan.push(failed(3 * DAY + 4 * HOUR, "stranger@example.com", null, SCANNER, "no_account", "google"));
  // Guessing at the demo account: five wrong passwords in three minutes, then refused while limited.
  const burst = 2 * DAY + 6 * HOUR;
  for (let i = 0; i < 5; i++) plan.push(failed(burst - i * 40_000, DEMO_MEMBER_EMAIL, "member", ATTACKER, "bad_credentials"));
  for (let i = 0; i < 5; i++) plan.push(failed(burst - 200_000 - i * 20_000, DEMO_MEMBER_EMAIL, null, ATTACKER, "rate_limited"));
  return plan;
}

const demoAttemptsWhere: Prisma.SignInAttemptWhereInput = {
  OR: DEMO_NETWORKS.map((prefix) => ({ ip: { startsWith: prefix } })),
};

export const signInAttemptsSeeder: Seeder = {
  name: "sign-in attempts",

  async exists(tx: Tx) {
    return (await tx.signInAttempt.count({ where: demoAttemptsWhere })) > 0;
  },

  async seed({ tx, now }) {
    const member = await users.findUserByEmail(tx, DEMO_MEMBER_EMAIL);
    const disabled = await users.findUserByEmail(tx, DEMO_DISABLED_EMAIL);
    const ids: Record<Exclude<Who, null>, string | null> = { member: member?.id ?? null, disabled: disabled?.id ?? null };

    const replaced = (await tx.signInAttempt.deleteMany({ where: demoAttemptsWhere })).count;
    const plan = planAttempts();
    await tx.signInAttempt.createMany({
      data: plan.map((a) => ({
        id: newId("sia"),
        email: a.email,
        ip: a.ip,
        userId: a.who ? ids[a.who] : null,
        method: a.method,
        success: a.success,
        reason: a.reason,
        createdAt: new Date(now.getTime() - a.ago),
      })),
    });

    const latestSuccess = Math.min(...plan.filter((a) => a.success).map((a) => a.ago));
    if (member) await users.updateUser(tx, member.id, { lastSignInAt: new Date(now.getTime() - latestSuccess) });

    const succeeded = plan.filter((a) => a.success).length;
    const rateLimited = plan.filter((a) => a.reason === "rate_limited").length;
    const failedCount = plan.length - succeeded;
    return {
      title: "Sign-in attempts",
      counts: { signInAttempts: plan.length, succeeded, failed: failedCount, rateLimited },
      lines: [
        `${plan.length} over the last 7 days: ${succeeded} succeeded, ${failedCount} failed (${rateLimited} of them rate limited)`,
        ...(replaced > 0 ? [`replaced ${replaced} earlier demo attempts`] : []),
      ],
    };
  },
};
