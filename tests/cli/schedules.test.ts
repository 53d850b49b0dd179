import { describe, expect, it } from "vitest";
import { autocommit } from "@/lib/db/transaction";
import { cli } from "./run-cli";

const create = (name: string, ...extra: string[]) =>
  cli(["schedules", "create", "--name", name, "--cron", "0 9 * * 1-5", "--timezone", "Europe/Amsterdam", "--pipeline", "system.echo", ...extra]);

describe("pa schedules", () => {
  it("creates a schedule and lists it with its next run in its timezone", async () => {
    const created = await create("cli-morning", "--input", '{"message":"good morning"}', "--catch-up", "all", "--catch-up-limit", "3", "--overlap", "queue");
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^Created cli-morning \(sch_[0-9a-z]+\)\. Next run: \w{3}, \d+ \w{3} \d{4}, 09:00 CES?T \(in .+\)\.$/);
    const row = await autocommit().schedule.findUniqueOrThrow({ where: { name: "cli-morning" } });
    expect(row).toMatchObject({ input: { message: "good morning" }, catchUp: "all", catchUpLimit: 3, overlap: "queue", enabled: true });

    const table = await cli(["schedules", "list"]);
    expect(table.code).toBe(0);
    expect(table.lines[0]).toMatch(/^NAME\s+CRON\s+TIMEZONE\s+PIPELINE\s+ENABLED\s+NEXT RUN\s+LAST RUN$/);
    expect(table.lines.find((l) => l.startsWith("cli-morning"))).toMatch(/^cli-morning\s+0 9 \* \* 1-5\s+Europe\/Amsterdam\s+system\.echo\s+yes\s+.*09:00.*\s+-$/);

    const json = JSON.parse((await cli(["schedules", "list", "--json"])).out) as { name: string; cronDescription: string }[];
    expect(json.find((s) => s.name === "cli-morning")).toMatchObject({ cronDescription: "At 09:00 on weekdays" });
  });

  it("reports every problem with a new schedule at once, and refuses a duplicate name", async () => {
    const bad = await cli(["schedules", "create", "--name", "cli-bad", "--cron", "99 * * * *", "--timezone", "Nowhere/Land", "--pipeline", "system.echo", "--input", '{"message":1}']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^error: Schedule is invalid \(cron: /);
    expect(bad.err).toContain('  - timezone: "Nowhere/Land" is not an IANA timezone (e.g. Europe/Amsterdam)');
    expect(bad.err).toMatch(/ {2}- input\.message: /);

    await create("cli-dup");
    const dup = await create("cli-dup");
    expect(dup.code).toBe(1);
    expect(dup.err).toBe('error: A schedule named "cli-dup" already exists\n  - name: is already taken');

    const missing = await cli(["schedules", "create", "--name", "x"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option");
  });

  it("updates, disables and enables a schedule by name", async () => {
    await create("cli-change");
    const updated = await cli(["schedules", "update", "cli-change", "--cron", "*/10 * * * *", "--timezone", "UTC"]);
    expect(updated.code).toBe(0);
    expect(updated.out).toMatch(/^Updated cli-change\. Next run: .* UTC \(in \d+ (s|min)\)\.$/);

    expect((await cli(["schedules", "disable", "cli-change"])).out).toBe("Disabled cli-change.");
    expect((await autocommit().schedule.findUniqueOrThrow({ where: { name: "cli-change" } })).nextRunAt).toBeNull();
    expect((await cli(["schedules", "enable", "cli-change"])).out).toMatch(/^Enabled cli-change\. Next run: /);

    const nothing = await cli(["schedules", "update", "cli-change"]);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain("Nothing to change");
  });

  it("runs a schedule now, in the CLI process, and shows it in the history", async () => {
    await create("cli-run", "--input", '{"message":"by hand"}', "--disabled");
    const run = await cli(["schedules", "run", "cli-run"]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/^Slot slt_[0-9a-z]+ succeeded: run run_[0-9a-z]+ — Run now by cli:.+\.$/);
    const runId = run.lines[0]!.match(/run (run_[0-9a-z]+)/)![1]!;
    const stored = await autocommit().pipelineRun.findUniqueOrThrow({ where: { id: runId } });
    expect(stored).toMatchObject({ trigger: "schedule", actorType: "schedule", actorLabel: "cli-run", status: "succeeded", output: expect.objectContaining({ message: "by hand" }) });

    const history = await cli(["schedules", "history", "cli-run"]);
    expect(history.lines[0]).toMatch(/^SLOT\s+KIND\s+STATUS\s+RUN\s+DURATION\s+REASON$/);
    expect(history.lines[1]).toMatch(new RegExp(`^\\w{3}, .*\\s+manual\\s+succeeded\\s+${runId}\\s+\\d+ ms\\s+Run now by cli:`));
  });

  it("previews fire times across a DST change, and deletes a schedule", async () => {
    const preview = await cli(["schedules", "preview", "--cron", "30 2 * * *", "--timezone", "Europe/Amsterdam", "--count", "2", "--json"]);
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.out)).toMatchObject({ description: "At 02:30 every day", timezone: "Europe/Amsterdam" });

    await create("cli-gone");
    expect((await cli(["schedules", "delete", "cli-gone"])).out).toMatch(/^Deleted cli-gone \(sch_/);
    const again = await cli(["schedules", "delete", "cli-gone"]);
    expect(again.code).toBe(1);
    expect(again.err).toBe('error: No schedule named or with the id "cli-gone"');
  });
});
