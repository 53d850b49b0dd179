import { describe, expect, it } from "vitest";
import { openSigningSecret } from "@/lib/events/source-secret";
import { sealedKeyId } from "@/lib/crypto/encryption";
import { autocommit } from "@/lib/db/transaction";
import { cli } from "./run-cli";
import { rotationKeys } from "@/tests/setup/encryption-keys";

// `pa secrets rotate` against this file's database: a webhook source created under the old key is
// re-encrypted under the new one, and a second run has nothing left to do.

const { oldKey, newKey, useKeys } = rotationKeys();

describe("pa secrets", () => {
  it("rotate re-encrypts stored secrets under the current key and reports counts per table", async () => {
    useKeys(oldKey);
    const created = await cli(["webhooks", "sources", "create", "rotating"]);
    expect(created.code).toBe(0);
    const secret = created.out.match(/^Secret:\s+(whsec_\S+)$/m)![1]!;

    useKeys(`${newKey},${oldKey}`);
    const run = await cli(["secrets", "rotate"]);
    expect(run.code).toBe(0);
    expect(run.lines[0]).toMatch(/^TABLE\s+SECRETS\s+RE-ENCRYPTED\s+ALREADY CURRENT$/);
    expect(run.out).toMatch(/^email_accounts\s+0\s+0\s+0$/m);
    expect(run.out).toMatch(/^webhook_sources\s+1\s+1\s+0$/m);
    expect(run.out).toContain('Re-encrypted 1 secret under key "new".');
    expect(run.out).not.toContain(secret);

    const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "rotating" } });
    expect(sealedKeyId(row.secretEncrypted)).toBe("new");
    useKeys(newKey);
    expect(openSigningSecret(row.id, row.secretEncrypted)).toBe(secret);

    const again = await cli(["secrets", "rotate", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual({
      currentKeyId: "new",
      tables: [
        { table: "email_accounts", secrets: 0, reencrypted: 0, alreadyCurrent: 0 },
        { table: "webhook_sources", secrets: 1, reencrypted: 0, alreadyCurrent: 1 },
      ],
    });
  });

  it("fails with the missing key's id, changing nothing, when an old key was removed too early", async () => {
    useKeys(oldKey);
    expect((await cli(["webhooks", "sources", "create", "orphaned"])).code).toBe(0);
    useKeys(newKey);
    const run = await cli(["secrets", "rotate"]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('key "old"');
    const row = await autocommit().webhookSource.findUniqueOrThrow({ where: { name: "orphaned" } });
    expect(sealedKeyId(row.secretEncrypted)).toBe("old");
  });
});
