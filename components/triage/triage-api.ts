"use client";

import { callApi } from "@/components/schedules/api-client";
import type { TriageActionDto, TriagedMessageDto } from "@/lib/triage/read-triage";
import type { SyncRunDto } from "@/lib/triage/sync-runs";

// The triage dashboard's reads (same origin, session cookie). Writes go through callApi directly,
// which hands back the message and field issues for a form.

export type Page<T> = { items: T[]; nextCursor: string | null };

async function read<T>(path: string): Promise<T> {
  const result = await callApi<T>(path);
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

function search(params: Record<string, string | number | null | undefined>): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== "") out.set(key, String(value));
  return out.toString();
}

export async function fetchMessages(filters: { category?: string | null; status?: string | null }, limit: number, before?: string | null): Promise<Page<TriagedMessageDto>> {
  const body = await read<{ messages: TriagedMessageDto[]; nextCursor: string | null }>(`/api/triage/messages?${search({ ...filters, limit, before })}`);
  return { items: body.messages, nextCursor: body.nextCursor };
}

export async function fetchMessage(id: string): Promise<TriagedMessageDto> {
  return (await read<{ message: TriagedMessageDto }>(`/api/triage/messages/${encodeURIComponent(id)}`)).message;
}

export async function fetchActions(limit: number, before?: string | null): Promise<Page<TriageActionDto>> {
  const body = await read<{ actions: TriageActionDto[]; nextCursor: string | null }>(`/api/triage/actions?${search({ limit, before })}`);
  return { items: body.actions, nextCursor: body.nextCursor };
}

export async function fetchRuns(limit: number, before?: string | null): Promise<Page<SyncRunDto>> {
  const body = await read<{ runs: SyncRunDto[]; nextCursor: string | null }>(`/api/triage/runs?${search({ limit, before })}`);
  return { items: body.runs, nextCursor: body.nextCursor };
}

export async function fetchRun(id: string): Promise<SyncRunDto> {
  return (await read<{ run: SyncRunDto }>(`/api/triage/runs/${encodeURIComponent(id)}`)).run;
}
