import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string | null; role: string };
    sessionVersion: number;
    /** This session's id; signing out revokes it on the server. */
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: string;
    sv?: number;
    sid?: string;
  }
}
