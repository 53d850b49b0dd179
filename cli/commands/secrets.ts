import { rotateSecrets } from "@/lib/crypto/rotate-secrets";
import type { RegisterCommands } from "../context";
import { formatTable } from "../format";

// `pa secrets …`: secrets stored at rest (OAuth tokens, webhook signing secrets). Rotation itself
// lives in lib/crypto/rotate-secrets.ts; this file only parses and prints. Nothing secret is printed.

export const registerSecretsCommands: RegisterCommands = (program, context) => {
  const { io } = context;
  const secrets = program.command("secrets").description("re-encrypt stored secrets after an encryption key change");

  secrets
    .command("rotate")
    .summary("re-encrypt every stored secret under the current key")
    .description(
      "Re-encrypt every stored secret (email account tokens, webhook signing secrets) under the first key of ENCRYPTION_KEYS, in one transaction. " +
        "Add the new key first and keep the old one listed until this has run; values already under the current key are left alone.",
    )
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      await context.connectDatabase();
      const report = await rotateSecrets();
      if (options.json) {
        io.out(JSON.stringify(report, null, 2));
        return;
      }
      const rows = report.tables.map((t) => [t.table, String(t.secrets), String(t.reencrypted), String(t.alreadyCurrent)]);
      for (const line of formatTable(["TABLE", "SECRETS", "RE-ENCRYPTED", "ALREADY CURRENT"], rows)) io.out(line);
      const total = report.tables.reduce((sum, t) => sum + t.reencrypted, 0);
      io.out(`Re-encrypted ${total} secret${total === 1 ? "" : "s"} under key "${report.currentKeyId}".`);
    });
};
