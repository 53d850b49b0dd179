import type { z } from "zod";
import { REQUEST_ID_HEADER } from "@/lib/http/handler";
import type { SchemaComponents } from "@/lib/openapi/json-schema";
import type { Header, Operation, Parameter, Reference, RequestBody, Response } from "@/lib/openapi/types";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// Building blocks for the operations of the document.

/** As in handle(): a signed-in session, an agent's bearer token, or nothing. */
export type Auth = "session" | "agent" | "public";

export const AGENT_SCHEME = "bearerAuth";

export const ref = (kind: "schemas" | "responses" | "parameters" | "headers", name: string): Reference => ({
  $ref: `#/components/${kind}/${name}`,
});

/** The header an answer replayed for a repeated Idempotency-Key carries. */
export const IDEMPOTENT_REPLAY_HEADER = { "x-idempotent-replay": ref("headers", "IdempotentReplay") };

export function jsonResponse<S = JsonSchema>(description: string, schema: S, headers: Record<string, Header | Reference> = {}): Response<S> {
  return {
    description,
    headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId"), ...headers },
    content: { "application/json": { schema } },
  };
}

/** A response without a body (a 304), which still carries the request id. */
export function emptyResponse(description: string, headers: Record<string, Header | Reference> = {}): Response {
  return { description, headers: { [REQUEST_ID_HEADER]: ref("headers", "RequestId"), ...headers } };
}

/** A response with the shared error body, for a status whose meaning the operation explains itself. */
export function errorResponse(description: string): Response {
  return jsonResponse(description, ref("schemas", "Error"));
}

/** One parameter per property of a zod query schema, each with its own schema and description. */
export function queryParameters(schemas: SchemaComponents, query: z.ZodObject): Parameter[] {
  const input = schemas.convert(query, "input");
  const output = schemas.convert(query, "output");
  const required = new Set((input.required as string[] | undefined) ?? []);
  const inputProperties = (input.properties ?? {}) as Record<string, JsonSchema>;
  const outputProperties = (output.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(inputProperties).map(([name, property]) => {
    // Comma-separated filters are read as a string (or repeated keys) and become a list of known
    // values: documented as that list, sent comma-separated (form style, not exploded).
    const parsed = outputProperties[name];
    const list = parsed?.type === "array" && !property.type ? parsed : null;
    const { description, ...schema } = list ?? property;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      ...(list ? { style: "form" as const, explode: false } : {}),
      schema,
    };
  });
}

export function pathParameter<S = JsonSchema>(name: string, description: string, schema: S): Parameter<S> {
  return { name, in: "path", required: true, description, schema };
}

/** Adds what every operation shares: the request id parameter, 401 unless public, and 500. */
export function operation(auth: Auth, op: Operation): Operation {
  const responses: Operation["responses"] = {
    ...op.responses,
    ...(auth === "session" ? { "401": ref("responses", "Unauthorized") } : {}),
    ...(auth === "agent" ? { "401": ref("responses", "Unauthorized"), "403": ref("responses", "Forbidden") } : {}),
    "500": ref("responses", "InternalError"),
  };
  const { operationId, summary, description, tags, parameters = [], requestBody } = op;
  return {
    operationId,
    summary,
    ...(description ? { description } : {}),
    tags,
    // The document's default is the session; others say what they take instead.
    ...(auth === "public" ? { security: [] } : auth === "agent" ? { security: [{ [AGENT_SCHEME]: [] }] } : {}),
    parameters: [ref("parameters", "RequestId"), ...parameters],
    ...(requestBody ? { requestBody } : {}),
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
  };
}

export function jsonBody<S = JsonSchema>(schema: S, description?: string): RequestBody<S> {
  return { required: true, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}
