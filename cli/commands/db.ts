import { migrateDeploy } from "@/lib/db/migrate";
import { AppError, isAppError } from "@/lib/errors";
import { seedDemoData } from "@/lib/seed/seed-demo-data";
import type { RegisterCommands } from "../context";
import { describeUrl, listLocalMigrations, readDatabaseStatus, type ConnectedDatabase } from "../database";
import { plural } from "../format";
import { CLI_INVOCATION } from "../io";

// `pa db …`: the database behind the app — migrations, a health check, demo data.

function describeDatabase(database: ConnectedDatabase): string {
  if (database.kind === "external") return `external (DATABASE_URL) ${describeUrl(database.url)}`;
  const how = database.startedHere ? "started for this command" : "already running, e.g. under npm start";
  return `embedded (DATA_DIR/postgres, ${how}) ${describeUrl(database.url)}`;
}

export const registerDbCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const db = program.command("db").description("migrate, inspect and seed the database");

  db.command("migrate")
    .summary("apply pending migrations")
    .description("Apply pending migrations from prisma/migrations (npm start does this too).")
    .action(async () => {
      const database = await context.connectDatabase();
      const before = (await readDatabaseStatus(database.url)).applied.length;
      await migrateDeploy(database.url, { quiet: !context.verbose() });
      const after = (await readDatabaseStatus(database.url)).applied.length;
      io.out(
        after > before
          ? `Applied ${plural(after - before, "migration")}; ${after} applied in total.`
          : `The database is up to date (${plural(after, "migration")} applied).`,
      );
    });

  db.command("status")
    .summary("show the database in use and its migrations")
    .description(
      "Show which database is used (embedded or DATABASE_URL), whether it is reachable, and how many migrations are applied or pending.",
    )
    .action(async () => {
      const database = await context.connectDatabase();
      io.out(`Database:    ${describeDatabase(database)}`);
      let status;
      try {
        status = await readDatabaseStatus(database.url);
      } catch (error) {
        io.out("Reachable:   no");
        throw new AppError("unavailable", `Cannot reach the database: ${error instanceof Error ? error.message : String(error)}`);
      }
      io.out(`Reachable:   yes (PostgreSQL ${status.serverVersion}, database "${status.database}")`);
      const local = await listLocalMigrations();
      const pending = local.filter((name) => !status.applied.includes(name));
      io.out(`Migrations:  ${status.applied.length} applied, ${pending.length} pending (${local.length} in prisma/migrations)`);
      for (const name of status.failed) io.out(`  failed:  ${name}`);
      for (const name of pending) io.out(`  pending: ${name}`);
      if (pending.length > 0) io.out(`Apply them with \`${CLI_INVOCATION} db migrate\`.`);
    });

  db.command("seed")
    .summary("add demo data for trying the app")
    .description(
      "Add demo data: a member demo@example.com (its password is printed once), a disabled account, a week of sign-in attempts, " +
        "two weeks of pipeline runs, and the demo context hub in CONTEXT_HUB_DIR (a hub whose soul.md is your own is left alone). " +
        "Refuses when demo data exists, unless --force.",
    )
    .option("--force", "replace demo data that is already there")
    .action(async (options: { force?: boolean }) => {
      await context.connectDatabase();
      let summary;
      try {
        summary = await seedDemoData({ force: options.force });
      } catch (error) {
        if (isAppError(error) && error.code === "conflict") {
          throw new AppError("conflict", `${error.message}. Run \`${CLI_INVOCATION} db seed --force\` to replace it.`, error.details);
        }
        throw error;
      }
      io.out(summary.replaced ? "Replaced the demo data." : "Seeded demo data.");
      for (const section of summary.sections) {
        io.out(`${section.title}:`);
        for (const line of section.lines) io.out(`  ${line}`);
      }
      if (summary.credentials.length > 0) {
        io.out("Sign in as:");
        for (const { email, password } of summary.credentials) io.out(`  ${email}  /  ${password}`);
        io.out("These passwords will not be shown again.");
      }
    });
};
