import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toJsonSchema } from "@/lib/pipelines/catalog";
import { fieldOfIssue, fieldsForSchema, initialValues, inputFromValues, valuesFromInput, type FormField } from "./schema-fields";

// The schemas come from zod through the same conversion the catalogue uses, so a change in how
// zod writes JSON Schema shows up here.
const schema = toJsonSchema(
  z.object({
    title: z.string().min(1).max(200).describe("Shown in lists"),
    body: z.string().max(20_000),
    note: z.string().max(500).optional(),
    kind: z.enum(["idea", "task"]).default("idea"),
    tags: z.array(z.string().max(40)).max(10).default([]),
    areas: z.array(z.enum(["home", "work"])).optional(),
    pinned: z.boolean().default(false),
    limit: z.number().int().min(1).max(50).optional(),
    due: z.string().nullable(),
    filter: z.object({ from: z.string() }).optional(),
  }),
  "input",
);

function field(fields: FormField[], name: string): FormField {
  const found = fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

describe("fieldsForSchema", () => {
  const fields = fieldsForSchema(schema)!;

  it("maps each property to the control a person would expect", () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ["title", "text"],
      ["body", "text"],
      ["note", "text"],
      ["kind", "enum"],
      ["tags", "tags"],
      ["areas", "choices"],
      ["pinned", "boolean"],
      ["limit", "number"],
      ["due", "text"],
      ["filter", "json"],
    ]);
  });

  it("uses a textarea for long or body-like text only", () => {
    const multiline = fields.filter((f) => f.kind === "text" && f.multiline).map((f) => f.name);
    expect(multiline).toEqual(["body", "note"]);
  });

  it("carries required, defaults, limits, nullability and help text", () => {
    expect(field(fields, "title")).toMatchObject({ required: true, label: "Title", description: "Shown in lists", maxLength: 200, minLength: 1 });
    expect(field(fields, "kind")).toMatchObject({ required: false, default: "idea" });
    expect(field(fields, "limit")).toMatchObject({ required: false, integer: true, minimum: 1, maximum: 50 });
    expect(field(fields, "due")).toMatchObject({ required: true, nullable: true });
  });

  it("gives up on inputs that are not objects of named fields", () => {
    expect(fieldsForSchema(toJsonSchema(z.array(z.string()), "input"))).toBeNull();
  });
});

describe("form values ↔ input", () => {
  const fields = fieldsForSchema(schema)!;

  it("starts at the defaults and sends only what is filled in or required", () => {
    const values = { ...initialValues(fields), title: "Groceries", body: "milk", tags: " food, weekly ,, " };
    expect(inputFromValues(fields, values)).toEqual({
      input: { title: "Groceries", body: "milk", kind: "idea", tags: ["food", "weekly"], pinned: false, due: null },
      errors: {},
    });
  });

  it("reports numbers and JSON it cannot read, by field", () => {
    const values = { ...initialValues(fields), limit: "ten", filter: "{ from:" };
    expect(inputFromValues(fields, values).errors).toEqual({ limit: "must be a number", filter: "is not valid JSON" });
    expect(inputFromValues(fields, { ...values, limit: "2.5", filter: "" }).errors).toEqual({ limit: "must be a whole number" });
  });

  it("round-trips an input through the form", () => {
    const input = { title: "T", body: "B", kind: "task", tags: ["a", "b"], areas: ["work"], pinned: true, limit: 5, due: null, filter: { from: "x" } };
    const { values, problems } = valuesFromInput(fields, input);
    expect(problems).toEqual([]);
    expect(inputFromValues(fields, values).input).toEqual(input);
  });

  it("refuses to load JSON the form would change", () => {
    const { problems } = valuesFromInput(fields, { title: 42, extra: true });
    expect(problems).toEqual(["extra is not a field of this pipeline", "title: 42 cannot be shown in this field"]);
  });

  it("finds the field an issue path points into", () => {
    expect(fieldOfIssue("tags[2]")).toBe("tags");
    expect(fieldOfIssue("filter.from")).toBe("filter");
    expect(fieldOfIssue("")).toBe("");
  });
});
