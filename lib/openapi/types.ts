import type { JsonSchema } from "@/lib/pipelines/catalog";

// The parts of OpenAPI 3.1 this app's document uses.

export type Reference = { $ref: string };

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

// Generic over the schema type: the document holds JSON Schemas; a route's declaration
// (route-doc.ts) holds the zod schemas they are converted from.

export type Parameter<S = JsonSchema> = {
  name: string;
  in: "query" | "header" | "path" | "cookie";
  description?: string;
  required?: boolean;
  style?: "form" | "simple";
  explode?: boolean;
  schema: S;
};

export type Header = { description: string; schema: JsonSchema };

export type MediaType<S = JsonSchema> = { schema: S };

export type Response<S = JsonSchema> = {
  description: string;
  headers?: Record<string, Header | Reference>;
  content?: Record<string, MediaType<S>>;
};

export type RequestBody<S = JsonSchema> = { description?: string; required: boolean; content: Record<string, MediaType<S>> };

export type SecurityRequirement = Record<string, string[]>;

export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: (Parameter | Reference)[];
  requestBody?: RequestBody;
  responses: Record<string, Response | Reference>;
  /** `[]` for a public operation; absent to use the document's default (the session). */
  security?: SecurityRequirement[];
};

export type PathItem = Partial<Record<HttpMethod, Operation>>;

export type SecurityScheme =
  | { type: "apiKey"; in: "cookie" | "header" | "query"; name: string; description: string }
  | { type: "http"; scheme: string; bearerFormat?: string; description: string };

export type OpenApiDocument = {
  openapi: string;
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string; license?: { name: string; identifier?: string } };
  servers: { url: string; description?: string }[];
  tags: { name: string; description: string }[];
  security: SecurityRequirement[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    parameters: Record<string, Parameter>;
    headers: Record<string, Header>;
    securitySchemes: Record<string, SecurityScheme>;
  };
};

// Compile-time checks that a response schema describes exactly the type the code returns.
export type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Expect<T extends true> = T;
export type Returned<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
