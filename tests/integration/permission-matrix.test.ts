import { globSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { can, ROLES, type Permission, type Role } from "@/lib/auth/permissions";
import type { RouteContract } from "@/lib/http/handler";
import type { PublicUser } from "@/lib/users/repository";
import { createUser } from "@/lib/users/service";

// Every API route and every server action, called as every role and as nobody. The rules come from
// the routes themselves (each handle() carries its contract), so a new route is covered the day it
// is added; a route without a contract, or a public one nobody listed below, fails this test.

let signedIn: PublicUser | null = null;
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => signedIn }));
// Server actions revalidate pages after a change; outside Next there is no page cache to clear.
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Routes anyone may call, each with its own check (or none needed). Adding one is a decision. */
const PUBLIC_ROUTES: Record<string, string> = {
  "[...slug]": "the JSON 404 for unknown API paths",
  "agent/token": "OAuth client credentials and refresh tokens (the secret is the check)",
  "gmail/push": "Pub/Sub push, verified by its OIDC token",
  health: "liveness and readiness, no data",
  metrics: "Prometheus, behind METRICS_TOKEN",
  "openapi.json": "the API description",
  "webhooks/[source]": "webhook deliveries, verified by signature",
};
/** Routes whose handler is a library's own, which checks its callers itself. */
const OWN_HANDLERS: Record<string, string> = {
  "auth/[...nextauth]": "NextAuth's sign-in and sign-out",
  inngest: "Inngest's serve handler, verified with the signing key (closed without Inngest)",
};

type RouteFn = ((req: NextRequest, args: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>) & { contract?: RouteContract };
type Route = { template: string; method: string; fn: RouteFn };

const ROOT = process.cwd();
const routeFiles = globSync("app/api/**/route.ts", { cwd: ROOT }).sort();

async function loadRoutes(): Promise<Route[]> {
  const routes: Route[] = [];
  for (const file of routeFiles) {
    const template = path.dirname(file).slice("app/api/".length);
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const method of METHODS) {
      if (typeof mod[method] === "function") routes.push({ template, method, fn: mod[method] as RouteFn });
    }
  }
  return routes;
}

/** The route's path with made-up ids, and the params Next would pass. */
function pathAndParams(template: string): { url: string; params: Record<string, string | string[]> } {
  const params: Record<string, string | string[]> = {};
  const segments = template.split("/").map((segment) => {
    const catchAll = /^\[\.\.\.(\w+)\]$/.exec(segment);
    if (catchAll) return ((params[catchAll[1]!] = ["nothing-here"]), "nothing-here");
    const param = /^\[(\w+)\]$/.exec(segment);
    if (param) return ((params[param[1]!] = `missing_${param[1]}`), `missing_${param[1]}`);
    return segment;
  });
  return { url: `http://localhost/api/${segments.join("/")}`, params };
}

async function call(route: Route) {
  const { url, params } = pathAndParams(route.template);
  const write = route.method !== "GET";
  const req = new NextRequest(url, {
    method: route.method,
    headers: { "sec-fetch-site": "same-origin", ...(write ? { "content-type": "application/json" } : {}) },
    body: write ? "{}" : undefined,
  });
  const res = await route.fn(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let body: { error?: { code?: string; details?: { permission?: string } } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a redirect, a stream): only the status matters here.
  }
  return { status: res.status, code: body.error?.code, permission: body.error?.details?.permission };
}

const people = {} as Record<Role, PublicUser>;
let routes: Route[] = [];

beforeAll(async () => {
  for (const role of ROLES) people[role] = (await createUser({ email: `${role}@matrix.example`, role })).user;
  routes = await loadRoutes();
}, 120_000);

describe("permission matrix: API routes", () => {
  it("finds the routes, and every one declares who may call it", () => {
    expect(routeFiles.length).toBeGreaterThan(60);
    const undeclared = routes.filter((r) => !r.fn.contract && !(r.template in OWN_HANDLERS)).map((r) => `${r.method} /api/${r.template}`);
    expect(undeclared).toEqual([]);
    const unlistedPublic = routes.filter((r) => r.fn.contract?.auth === "public" && !(r.template in PUBLIC_ROUTES)).map((r) => `${r.method} /api/${r.template}`);
    expect(unlistedPublic).toEqual([]);
  });

  it("refuses every session route to nobody (401) and to each role without its permission (403), and lets the others through", async () => {
    const sessionRoutes = routes.filter((r) => r.fn.contract?.auth === "session");
    expect(sessionRoutes.length).toBeGreaterThan(60);
    const wrong: string[] = [];
    for (const route of sessionRoutes) {
      const allow = (route.fn.contract as { allow: Permission }).allow;
      const name = `${route.method} /api/${route.template} (${allow})`;
      signedIn = null;
      const anonymous = await call(route);
      if (anonymous.status !== 401) wrong.push(`${name} as nobody: ${anonymous.status}`);
      for (const role of ROLES) {
        signedIn = people[role];
        const answer = await call(route);
        const refused = answer.status === 403 && answer.permission === allow;
        if (can(role, allow) ? refused : !refused) wrong.push(`${name} as ${role}: ${answer.status} ${answer.code ?? ""}`);
        // Allowed with made-up ids and an empty body: a 4xx is expected, a 5xx never (503 is
        // "not configured here", e.g. Google OAuth).
        if (answer.status >= 500 && answer.code !== "unavailable") wrong.push(`${name} as ${role}: ${answer.status} ${answer.code ?? ""}`);
      }
    }
    signedIn = null;
    expect(wrong).toEqual([]);
  }, 300_000);

  it("guards a mailbox's contents with mail.own (the services then keep each mailbox to its owner), never a role-wide permission", () => {
    // Per-user mail (README, Security): reading triage or acting on it needs one's own mailbox;
    // the shared rules and category settings stay with activity.view and settings.manage.
    const mailRoutes = routes.filter((r) => /^(triage\/(messages|actions|runs|stats)|email\/(accounts|connect|oauth))/.test(r.template));
    expect(mailRoutes.length).toBeGreaterThanOrEqual(14);
    const wrong = mailRoutes.filter((r) => (r.fn.contract as { allow?: Permission }).allow !== "mail.own").map((r) => `${r.method} /api/${r.template}`);
    expect(wrong).toEqual([]);
    expect(ROLES.filter((role) => can(role, "mail.own"))).toEqual(["owner", "admin", "member"]);
  });

  it("refuses every agent route without a bearer token", async () => {
    signedIn = people.owner; // a session is not an agent's token
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.fn.contract?.auth === "agent" || r.template === "agent/mcp")) {
      const answer = await call(route);
      if (answer.status !== 401) wrong.push(`${route.method} /api/${route.template}: ${answer.status}`);
    }
    signedIn = null;
    expect(wrong).toEqual([]);
  });
});

// Server actions are public endpoints too. Each file's actions and the permission each needs
// (null: any signed-in user); an action missing here fails the first test.
const ACTION_RULES: Record<string, Record<string, Permission | null>> = {
  "agents/actions.ts": {
    createAgentAction: "settings.manage",
    updateAgentAction: "settings.manage",
    rotateSecretAction: "settings.manage",
    setAgentDisabledAction: "settings.manage",
    revokeAllTokensAction: "settings.manage",
    revokeTokenAction: "settings.manage",
    deleteAgentAction: "settings.manage",
  },
  "context/actions.ts": { saveContextFileAction: "settings.manage" },
  "events/actions.ts": { retryEventAction: "work.run" },
  "events/sources/actions.ts": {
    createSourceAction: "settings.manage",
    rotateSecretAction: "settings.manage",
    setSourceEnabledAction: "settings.manage",
    deleteSourceAction: "settings.manage",
    addSubscriptionAction: "settings.manage",
    setSubscriptionEnabledAction: "settings.manage",
    removeSubscriptionAction: "settings.manage",
  },
  "pipelines/[name]/actions.ts": { runPipelineAction: "work.run" },
  "settings/actions.ts": {
    changePasswordAction: null,
    addUserAction: "users.manage",
    changeUserRoleAction: "users.manage",
    setUserDisabledAction: "users.manage",
  },
};

const actionFiles = globSync("app/(dashboard)/**/actions.ts", { cwd: ROOT }).sort();

async function loadActions() {
  const actions: { file: string; name: string; fn: (...args: unknown[]) => Promise<unknown> }[] = [];
  for (const file of actionFiles) {
    const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod)) {
      if (typeof fn === "function") actions.push({ file: file.slice("app/(dashboard)/".length), name, fn: fn as (...args: unknown[]) => Promise<unknown> });
    }
  }
  return actions;
}

describe("permission matrix: server actions", () => {
  it("has a rule for every action, and refuses nobody and each role without the permission", async () => {
    const actions = await loadActions();
    expect(actions.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const action of actions) {
      const rules = ACTION_RULES[action.file];
      if (!rules || !(action.name in rules)) {
        wrong.push(`${action.file} ${action.name}: no rule`);
        continue;
      }
      const permission = rules[action.name]!;
      const identities: (Role | null)[] = [null, ...ROLES.filter((role) => permission !== null && !can(role, permission))];
      for (const role of identities) {
        signedIn = role ? people[role] : null;
        const result = (await action.fn(undefined, new FormData())) as { status: string; message: string };
        const expected = role ? new RegExp(`needs the ${permission!.replace(".", "\\.")} permission`) : /session has ended/;
        if (result.status !== "error" || !expected.test(result.message)) wrong.push(`${action.file} ${action.name} as ${role ?? "nobody"}: ${JSON.stringify(result)}`);
      }
    }
    signedIn = null;
    expect(wrong).toEqual([]);
  }, 120_000);
});
