import type { z } from "zod";
import type { SchemaComponents, SchemaIo } from "@/lib/openapi/json-schema";
import { operation, queryParameters, ref, type Auth } from "@/lib/openapi/operations";
import type { Operation, Parameter, Reference, RequestBody, Response } from "@/lib/openapi/types";
import type { JsonSchema } from "@/lib/pipelines/catalog";

// What a route declares about itself for the OpenAPI document, next to its handler
// (`handle({ auth, …, openapi: { … } }, …)`): an OpenAPI operation in which schemas may be the zod
// schemas the handler validates with and the response shapes it returns. The document builder
// converts them (request parts as input, responses as output), so the description cannot drift
// from the validation. Shared responses are named ("NotFound"); `query` takes the zod query schema
// and becomes one parameter per property.

export type SchemaLike = JsonSchema | z.ZodType;

/** The responses every route may point at, in components.responses. */
export type SharedResponse =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "InternalError";

export type OperationDoc = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Path and header parameters; the query's come from `query`. */
  parameters?: (Parameter<SchemaLike> | Reference)[];
  query?: z.ZodObject;
  requestBody?: RequestBody<SchemaLike>;
  responses: Record<string, Response<SchemaLike> | Reference | SharedResponse>;
};

function isZod(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value;
}

/** `value` with every zod schema in it replaced by its JSON Schema. */
function convertDeep<T>(value: T, io: SchemaIo, schemas: SchemaComponents): T {
  if (isZod(value)) return schemas.convert(value, io) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => convertDeep(item, io, schemas)) as T;
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convertDeep(inner, io, schemas)])) as T;
}

const isPathParameter = (p: Parameter<SchemaLike> | Reference) => "in" in p && p.in === "path";

/** The document's operation for a route's declaration. */
export function describeOperation(auth: Auth, doc: OperationDoc, schemas: SchemaComponents): Operation {
  const { query, parameters = [], requestBody, responses, ...rest } = doc;
  const converted = (list: (Parameter<SchemaLike> | Reference)[]) => convertDeep(list, "input", schemas) as (Parameter | Reference)[];
  return operation(auth, {
    ...rest,
    parameters: [
      ...converted(parameters.filter(isPathParameter)),
      ...(query ? queryParameters(schemas, query) : []),
      ...converted(parameters.filter((p) => !isPathParameter(p))),
    ],
    ...(requestBody ? { requestBody: convertDeep(requestBody, "input", schemas) as RequestBody } : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([code, response]) => [
        code,
        typeof response === "string" ? ref("responses", response) : (convertDeep(response, "output", schemas) as Response | Reference),
      ]),
    ),
  });
}
