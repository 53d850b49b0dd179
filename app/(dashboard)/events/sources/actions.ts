"use server";

import { authorizeAction } from "@/lib/auth/action-user";
import { isAppError, type FieldIssue } from "@/lib/errors";
import {
  createWebhookSource,
  deleteWebhookSource,
  rotateWebhookSourceSecret,
  updateWebhookSource,
  type SourceWithSecret,
} from "@/lib/events/manage-sources";
import { createWebhookSubscription, deleteWebhookSubscription, updateWebhookSubscription } from "@/lib/events/manage-subscriptions";
import { getLogger } from "@/lib/logger";
import { resolveRequestId, runWithRequestContext } from "@/lib/request-context";

import type { ActionResult } from "@/components/events/source-actions";

// The sources page's actions. Each one is a public endpoint: it checks the session itself, and
// the services validate every argument (names, pipelines, templates).

async function signedIn<T>(what: string, fn: () => Promise<T>): Promise<ActionResult<T>> {
  const auth = await authorizeAction("settings.manage");
  if (!auth.ok) return { status: "error", message: auth.message };
  const user = auth.user;
  const requestId = resolveRequestId(null);
  return runWithRequestContext({ requestId, userId: user.id }, async (): Promise<ActionResult<T>> => {
    try {
      return { status: "ok", value: await fn() };
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

const done = async () => undefined;

export async function createSourceAction(input: { name: string; description?: string; toleranceSeconds?: number }): Promise<ActionResult<SourceWithSecret>> {
  return signedIn("creating a source", () => createWebhookSource(input));
}

export async function rotateSecretAction(name: string): Promise<ActionResult<SourceWithSecret>> {
  return signedIn("rotating a secret", () => rotateWebhookSourceSecret(String(name)));
}

export async function setSourceEnabledAction(name: string, enabled: boolean): Promise<ActionResult> {
  return signedIn("changing a source", () => updateWebhookSource(String(name), { enabled: enabled === true }).then(done));
}

export async function deleteSourceAction(name: string): Promise<ActionResult> {
  return signedIn("deleting a source", () => deleteWebhookSource(String(name)).then(done));
}

export async function addSubscriptionAction(source: string, input: { eventType: string; pipeline: string; inputTemplate: unknown }): Promise<ActionResult> {
  return signedIn("adding a subscription", () => createWebhookSubscription(String(source), input).then(done));
}

export async function setSubscriptionEnabledAction(source: string, id: string, enabled: boolean): Promise<ActionResult> {
  return signedIn("changing a subscription", () => updateWebhookSubscription(String(id), { enabled: enabled === true }, String(source)).then(done));
}

export async function removeSubscriptionAction(source: string, id: string): Promise<ActionResult> {
  return signedIn("removing a subscription", () => deleteWebhookSubscription(String(id), String(source)).then(done));
}
