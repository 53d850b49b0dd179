"use client";

import type { FieldIssue } from "@/lib/errors";

// The dashboard's calls to the schedules API (same origin, session cookie). Errors come back as
// a message plus field issues, ready for a form.

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string; issues: FieldIssue[] };

export async function callApi<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return { ok: false, status: 0, message: "The server could not be reached. Check your connection and try again.", issues: [] };
  }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; details?: { issues?: FieldIssue[] } } } | null;
  if (res.ok) return { ok: true, data: body as T };
  if (res.status === 401) return { ok: false, status: 401, message: "Your session has ended. Sign in again.", issues: [] };
  return {
    ok: false,
    status: res.status,
    message: body?.error?.message ?? `The request failed (${res.status}).`,
    issues: body?.error?.details?.issues ?? [],
  };
}
