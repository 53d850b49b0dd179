"use server";

import { revalidatePath } from "next/cache";
import { authorizeAction } from "@/lib/auth/action-user";
import { getConfig } from "@/lib/config";
import { isAppError, type FieldIssue } from "@/lib/errors";
import { getLogger } from "@/lib/logger";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";
import { tokenCurl } from "@/lib/agents/dto";
import {
  createAgent,
  deleteAgent,
  revokeAllForAgent,
  revokeToken,
  rotateClientSecret,
  setAgentDisabled,
  updateAgent,
} from "@/lib/agents/service";

import type { ActionResult, Issued, ScopeInput } from "@/components/agents/agent-actions";

// The agents pages' actions. Each one is a public endpoint: it checks the session itself, and the
// service validates every argument (name, scope).

async function signedIn<T>(what: string, fn: (by: string) => Promise<T>): Promise<ActionResult<T>> {
  const auth = await authorizeAction("settings.manage");
  if (!auth.ok) return { status: "error", message: auth.message };
  const user = auth.user;
  const requestId = resolveRequestId(null);
  return runWithRequestContext({ requestId, userId: user.id }, async (): Promise<ActionResult<T>> => {
    try {
      const value = await fn(user.email);
      revalidatePath("/agents", "layout");
      return { status: "ok", value };
    } catch (error) {
      if (isAppError(error)) {
        const issues = (error.details as { issues?: FieldIssue[] } | undefined)?.issues;
        return { status: "error", message: error.message, issues };
      }
      getLogger({ component: "dashboard" }).error({ err: error }, `${what} failed`);
      return { status: "error", message: `That did not work (${what}). The request id ${requestId} identifies it in the logs.` };
    }
  });
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function issued(agent: { id: string; name: string }, clientId: string, clientSecret: string): Issued {
  return { agentId: agent.id, name: agent.name, clientId, clientSecret, tokenCurl: tokenCurl(getConfig().APP_URL, clientId, clientSecret) };
}

export async function createAgentAction(input: ScopeInput & { name: string }): Promise<ActionResult<Issued>> {
  return signedIn("creating an agent", async (by) => {
    const created = await createAgent(
      { name: String(input.name), description: input.description ?? null, jobKinds: strings(input.jobKinds), pipelines: strings(input.pipelines) },
      by,
    );
    return issued(created.agent, created.clientId, created.clientSecret);
  });
}

export async function updateAgentAction(id: string, input: ScopeInput): Promise<ActionResult> {
  return signedIn("saving the scope", async (by) => {
    await updateAgent(String(id), { description: input.description ?? null, jobKinds: strings(input.jobKinds), pipelines: strings(input.pipelines) }, by);
    return undefined;
  });
}

export async function rotateSecretAction(id: string, revokeTokens: boolean): Promise<ActionResult<Issued>> {
  return signedIn("rotating the secret", async (by) => {
    const rotated = await rotateClientSecret(String(id), { revokeTokens: revokeTokens === true, by });
    return issued(rotated.agent, rotated.clientId, rotated.clientSecret);
  });
}

export async function setAgentDisabledAction(id: string, disabled: boolean): Promise<ActionResult> {
  return signedIn(disabled ? "disabling the agent" : "enabling the agent", async (by) => {
    await setAgentDisabled(String(id), disabled === true, by);
    return undefined;
  });
}

export async function revokeAllTokensAction(id: string): Promise<ActionResult<number>> {
  return signedIn("revoking tokens", async (by) => (await revokeAllForAgent(String(id), by)).revoked);
}

export async function revokeTokenAction(id: string, tokenId: string): Promise<ActionResult> {
  return signedIn("revoking a token", async (by) => {
    await revokeToken(String(id), String(tokenId), by);
    return undefined;
  });
}

export async function deleteAgentAction(id: string): Promise<ActionResult> {
  return signedIn("deleting the agent", async () => {
    await deleteAgent(String(id));
    return undefined;
  });
}
