import { generatePassword, hashPassword } from "@/lib/auth/password";
import type { Tx } from "@/lib/db/transaction";
import * as users from "@/lib/users/repository";
import type { Seeder } from "./types";

// Demo accounts: a member to sign in as, and a disabled account for the "account disabled" paths.
// Both are members, so seeding never changes who owns the installation.

export const DEMO_MEMBER_EMAIL = "demo@example.com";
export const DEMO_DISABLED_EMAIL = "demo-disabled@example.com";

type DemoUser = { email: string; name: string; disabled: boolean };

const DEMO_USERS: DemoUser[] = [
  { email: DEMO_MEMBER_EMAIL, name: "Demo Member", disabled: false },
  { email: DEMO_DISABLED_EMAIL, name: "Disabled Demo", disabled: true },
];

const DAY = 24 * 60 * 60_000;

/** Creates the user, or resets an existing one to its demo state (new password, sessions signed out). */
async function putDemoUser(tx: Tx, demo: DemoUser, passwordHash: string, now: Date): Promise<"created" | "replaced"> {
  // Backdated so the accounts predate the week of sign-in history seeded after them.
  const state = {
    name: demo.name,
    role: "member" as const,
    createdAt: new Date(now.getTime() - 30 * DAY),
    disabledAt: demo.disabled ? new Date(now.getTime() - 6 * DAY) : null,
    lastSignInAt: null,
  };
  const existing = await users.findUserByEmail(tx, demo.email);
  if (existing) {
    await users.updateUser(tx, existing.id, { ...state, passwordHash, sessionVersion: { increment: 1 } });
    return "replaced";
  }
  const user = await users.insertUser(tx, { email: demo.email, name: demo.name, role: "member", passwordHash });
  await users.updateUser(tx, user.id, state);
  return "created";
}

export const usersSeeder: Seeder = {
  name: "users",

  async exists(tx) {
    return (await users.countUsers(tx, { email: { in: DEMO_USERS.map((u) => u.email) } })) > 0;
  },

  async seed({ tx, now }) {
    const memberPassword = generatePassword();
    const lines: string[] = [];
    let created = 0;
    for (const demo of DEMO_USERS) {
      // Only the member's password is handed out; the disabled account cannot sign in anyway.
      const passwordHash = await hashPassword(demo.email === DEMO_MEMBER_EMAIL ? memberPassword : generatePassword());
      const outcome = await putDemoUser(tx, demo, passwordHash, now);
      if (outcome === "created") created++;
      lines.push(`${demo.email} (member${demo.disabled ? ", disabled" : ""}) ${outcome}`);
    }
    return {
      title: "Users",
      counts: { users: DEMO_USERS.length, created },
      lines,
      credentials: [{ email: DEMO_MEMBER_EMAIL, password: memberPassword }],
    };
  },
};
