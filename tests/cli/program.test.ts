import { describe, expect, it } from "vitest";
import { buildProgram } from "@/cli/program";
import type { DatabaseConnector } from "@/cli/database";
import { cli } from "./run-cli";

const failingDatabase = (error: Error): DatabaseConnector => ({
  connect: async () => {
    throw error;
  },
  close: async () => {},
});

describe("pa (program)", () => {
  it("lists the command groups in --help, without opening a database", async () => {
    const opened: string[] = [];
    const database: DatabaseConnector = {
      connect: async () => {
        opened.push("db");
        throw new Error("help must not open the database");
      },
      close: async () => {},
    };
    const run = await cli(["--help"], { database });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Usage: pa \[options\] \[command\]/);
    expect(run.out).toMatch(/^\s+users\s+create and manage the accounts/m);
    expect(run.out).toMatch(/^\s+pipelines\s+list, describe and run pipelines/m);
    expect(run.out).toMatch(/^\s+runs\s+inspect and cancel pipeline runs/m);
    expect(run.out).toMatch(/^\s+db\s+migrate, inspect and seed/m);
    expect(opened).toEqual([]);

    const users = await cli(["users", "--help"], { database });
    for (const command of ["create", "list", "reset-password", "disable", "enable"]) {
      expect(users.out).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
    expect((await cli(["db", "seed", "--help"], { database })).out).toContain("--force");
    expect((await cli(["pipelines", "run", "--help"], { database })).out).toContain("--idempotency-key");
    // Listing and describing pipelines reads the registry, not the database.
    expect((await cli(["pipelines", "list"], { database })).code).toBe(0);
    expect((await cli(["pipelines", "show", "system.echo"], { database })).code).toBe(0);
    expect(opened).toEqual([]);
  });

  it("names every group as a subcommand of `pa`", () => {
    const program = buildProgram({ out: () => {}, err: () => {} });
    expect(program.name()).toBe("pa");
    expect(program.commands.map((c) => c.name())).toEqual(["users", "agents", "pipelines", "runs", "jobs", "approvals", "schedules", "webhooks", "areas", "triage", "secrets", "db"]);
  });

  it("exits 2 with commander's message for unknown commands, options and missing arguments", async () => {
    const unknown = await cli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("error: unknown command 'frobnicate'");

    const option = await cli(["users", "list", "--yaml"]);
    expect(option.code).toBe(2);
    expect(option.err).toContain("error: unknown option '--yaml'");

    const missing = await cli(["users", "create"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("missing required argument 'email'");

    const role = await cli(["users", "create", "x@example.com", "--role", "boss"]);
    expect(role.code).toBe(2);
    expect(role.err).toContain("Allowed choices are owner, admin, member, viewer");
  });

  it("reports unexpected failures briefly, with the stack only under --verbose", async () => {
    const database = failingDatabase(new Error("disk on fire"));
    const brief = await cli(["users", "list"], { database });
    expect(brief.code).toBe(1);
    expect(brief.err).toBe("error: disk on fire\n(run again with --verbose for details)");

    const verbose = await cli(["--verbose", "users", "list"], { database });
    expect(verbose.code).toBe(1);
    expect(verbose.err).toMatch(/^error: disk on fire\nError: disk on fire\n\s+at /);
  });

  it("explains a database without tables instead of printing Prisma's error", async () => {
    const error = Object.assign(new Error("The table `public.users` does not exist in the current database."), { code: "P2021" });
    const run = await cli(["users", "list"], { database: failingDatabase(error) });
    expect(run.code).toBe(1);
    expect(run.err).toBe("error: The database has no tables yet. Apply the migrations with `npm run cli -- db migrate`.");
  });
});
