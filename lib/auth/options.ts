import { randomUUID } from "node:crypto";
import { clientIp } from "@/lib/http/ip";
import type { NextAuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import { getConfig, requireAuthSecret } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { revokeSession } from "@/lib/auth/revoked-sessions.repository";
import { withTransaction } from "@/lib/db/transaction";
import { signInWithGoogle, signInWithPassword, type SignedInUser } from "@/lib/auth/sign-in";

// next-auth hands authorize() the request's headers as a plain object.
type PlainHeaders = Record<string, string | string[] | undefined> | undefined;

function toHeaders(plain: PlainHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(plain ?? {})) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return headers;
}

type AuthUser = User & Pick<SignedInUser, "role" | "sessionVersion">;

let cached: NextAuthOptions | undefined;

/** next-auth options, built on first use so `next build` needs no secrets. */
export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = getConfig();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = String(credentials?.email ?? "").slice(0, 320);
        const password = String(credentials?.password ?? "").slice(0, 1000);
        if (!email || !password) throw new Error("Enter your email and password.");
        try {
          const user = await signInWithPassword(email, password, clientIp(toHeaders(req?.headers as PlainHeaders)));
          return { ...user, name: user.name ?? user.email } satisfies AuthUser;
        } catch (error) {
          // next-auth passes the message of an Error thrown here to the sign-in form.
          if (isAppError(error)) throw new Error(error.message);
          getLogger({ component: "auth" }).error({ err: error }, "sign-in failed unexpectedly");
          throw new Error("Sign-in is unavailable right now. Try again in a moment.");
        }
      },
    }),
  ];
  if (config.googleSignIn) {
    providers.push(
      GoogleProvider({ clientId: config.GOOGLE_CLIENT_ID!, clientSecret: config.GOOGLE_CLIENT_SECRET! }),
    );
  }

  cached = {
    secret: requireAuthSecret(),
    providers,
    session: { strategy: "jwt", maxAge: config.SESSION_MAX_AGE_HOURS * 3600, updateAge: 15 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "google") return true;
        const verified = (profile as { email_verified?: boolean } | undefined)?.email_verified === true;
        const ours = user.email ? await signInWithGoogle(user.email, verified, "google") : null;
        if (!ours) return "/sign-in?error=GoogleAccountNotAllowed";
        Object.assign(user, ours);
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const ours = user as AuthUser;
          token.uid = ours.id;
          token.role = ours.role;
          token.sv = ours.sessionVersion;
          token.sid = randomUUID();
          token.email = ours.email;
        }
        return token;
      },
      async session({ session, token }) {
        session.user = {
          id: token.uid ?? "",
          email: token.email ?? "",
          name: token.name ?? null,
          role: token.role ?? "member",
        };
        session.sessionVersion = token.sv ?? 0;
        session.sid = token.sid;
        return session;
      },
    },
    events: {
      // Signing out ends the session on the server too, not only in this browser's cookie jar.
      async signOut({ token }) {
        if (!token?.sid || !token.uid) return;
        const expiresAt = typeof token.exp === "number" ? new Date(token.exp * 1000) : new Date(Date.now() + config.SESSION_MAX_AGE_HOURS * 3_600_000);
        await withTransaction((tx) => revokeSession(tx, { sid: token.sid!, userId: token.uid!, expiresAt }));
      },
    },
    logger: {
      error: (code, metadata) => getLogger({ component: "next-auth" }).error({ code, metadata }, "next-auth error"),
      warn: (code) => getLogger({ component: "next-auth" }).warn({ code }, "next-auth warning"),
      debug: () => {},
    },
  };
  return cached;
}
