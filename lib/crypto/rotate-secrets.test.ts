import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, sealedKeyId } from "@/lib/crypto/encryption";
import { rotateSecrets } from "@/lib/crypto/rotate-secrets";
import { autocommit } from "@/lib/db/transaction";
import { insertAccount } from "@/lib/email/accounts.repository";
import { tokenContexts } from "@/lib/email/accounts";
import { openSigningSecret, sealSigningSecret } from "@/lib/events/source-secret";
import { insertSource } from "@/lib/events/sources.repository";
import { newId } from "@/lib/ids";
import { rotationKeys } from "@/tests/setup/encryption-keys";

// Key rotation against this file's database: values sealed under an old key are re-encrypted
// under the new current key, in every table that stores secrets.

const { oldKey, newKey, useKeys } = rotationKeys();

async function seed(suffix: string) {
  const accountId = newId("eml");
  await insertAccount(autocommit(), {
    id: accountId,
    emailAddress: `rotate-${suffix}@example.com`,
    provider: "gmail",
    scopes: [],
    historyId: null,
    createdBy: null,
    accessTokenEncrypted: encryptSecret(`ya29.access-${suffix}`, tokenContexts.accessToken(accountId)),
    refreshTokenEncrypted: encryptSecret(`1//refresh-${suffix}`, tokenContexts.refreshToken(accountId)),
    accessTokenExpiresAt: null,
  });
  const sourceId = newId("src");
  await insertSource(autocommit(), { id: sourceId, name: `rotate-${suffix}`, description: null, toleranceSeconds: 300, secretEncrypted: sealSigningSecret(sourceId, `whsec_${suffix}`) });
  return { accountId, sourceId };
}

async function sealed(accountId: string, sourceId: string) {
  const account = await autocommit().emailAccount.findUniqueOrThrow({ where: { id: accountId } });
  const source = await autocommit().webhookSource.findUniqueOrThrow({ where: { id: sourceId } });
  return { access: account.accessTokenEncrypted!, refresh: account.refreshTokenEncrypted!, secret: source.secretEncrypted };
}

describe("rotateSecrets", () => {
  it("re-encrypts email tokens and webhook secrets under the new key, once", async () => {
    useKeys(oldKey);
    const { accountId, sourceId } = await seed("a");
    const before = await sealed(accountId, sourceId);
    expect(Object.values(before).map(sealedKeyId)).toEqual(["old", "old", "old"]);

    useKeys(`${newKey},${oldKey}`);
    const report = await rotateSecrets();
    expect(report.currentKeyId).toBe("new");
    expect(report.tables).toEqual([
      { table: "email_accounts", secrets: 2, reencrypted: 2, alreadyCurrent: 0 },
      { table: "webhook_sources", secrets: 1, reencrypted: 1, alreadyCurrent: 0 },
    ]);

    const after = await sealed(accountId, sourceId);
    expect(Object.values(after).map(sealedKeyId)).toEqual(["new", "new", "new"]);
    // Readable with the new key alone: the old one can now be removed.
    useKeys(newKey);
    expect(decryptSecret(after.access, tokenContexts.accessToken(accountId))).toBe("ya29.access-a");
    expect(decryptSecret(after.refresh, tokenContexts.refreshToken(accountId))).toBe("1//refresh-a");
    expect(openSigningSecret(sourceId, after.secret)).toBe("whsec_a");

    const again = await rotateSecrets();
    expect(again.tables).toEqual([
      { table: "email_accounts", secrets: 2, reencrypted: 0, alreadyCurrent: 2 },
      { table: "webhook_sources", secrets: 1, reencrypted: 0, alreadyCurrent: 1 },
    ]);
    expect(await sealed(accountId, sourceId)).toEqual(after);
  });

  it("changes nothing when a value is sealed under a key no longer listed", async () => {
    // "c" sorts first, so it is re-encrypted inside the transaction before "b" fails.
    useKeys(newKey);
    const current = await seed("c");
    useKeys(oldKey);
    const { accountId, sourceId } = await seed("b");
    const other = `other:${randomBytes(32).toString("base64")}`;
    useKeys(`${other},${newKey}`);
    const before = await sealed(current.accountId, current.sourceId);

    await expect(rotateSecrets()).rejects.toThrow(/key "old"/);
    // One transaction: the values under "new" were not re-encrypted under "other" either.
    expect(await sealed(current.accountId, current.sourceId)).toEqual(before);
    expect(Object.values(await sealed(accountId, sourceId)).map(sealedKeyId)).toEqual(["old", "old", "old"]);
  });
});
