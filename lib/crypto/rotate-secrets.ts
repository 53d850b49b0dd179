import { requireEncryptionKeys } from "@/lib/config";
import { decryptSecret, encryptSecret, needsReencryption } from "@/lib/crypto/encryption";
import { withTransaction, type Tx } from "@/lib/db/transaction";
import * as emailAccounts from "@/lib/email/accounts.repository";
import { tokenContexts } from "@/lib/email/accounts";
import { openSigningSecret, sealSigningSecret } from "@/lib/events/source-secret";
import { updateSource } from "@/lib/events/sources.repository";
import { getLogger } from "@/lib/logger";

// Key rotation: re-encrypts every secret stored at rest under the current key (the first of
// ENCRYPTION_KEYS). One transaction with the rows locked, so a failure (a value sealed under a key
// no longer listed, say) changes nothing, and no token refresh writes in between. Values already
// under the current key are left as they are, so a second run re-encrypts nothing.
//
// Every table that stores sealed values must be listed here; a new one adds its rotator.

export type TableRotation = { table: string; secrets: number; reencrypted: number; alreadyCurrent: number };

export type RotationReport = { currentKeyId: string; tables: TableRotation[] };

type Counter = TableRotation;

/** Returns the value re-sealed under the current key, or null when it already is. */
function rotateValue(counter: Counter, sealed: string | null, open: (s: string) => string, seal: (p: string) => string): string | null {
  if (!sealed) return null;
  counter.secrets++;
  if (!needsReencryption(sealed)) {
    counter.alreadyCurrent++;
    return null;
  }
  counter.reencrypted++;
  return seal(open(sealed));
}

async function rotateEmailAccounts(tx: Tx): Promise<TableRotation> {
  const counter: Counter = { table: "email_accounts", secrets: 0, reencrypted: 0, alreadyCurrent: 0 };
  for (const row of await emailAccounts.listSealedForRotation(tx)) {
    const access = tokenContexts.accessToken(row.id);
    const refresh = tokenContexts.refreshToken(row.id);
    const accessTokenEncrypted = rotateValue(counter, row.access_token_encrypted, (s) => decryptSecret(s, access), (p) => encryptSecret(p, access));
    const refreshTokenEncrypted = rotateValue(counter, row.refresh_token_encrypted, (s) => decryptSecret(s, refresh), (p) => encryptSecret(p, refresh));
    if (accessTokenEncrypted || refreshTokenEncrypted) {
      await emailAccounts.updateSealed(tx, row.id, {
        ...(accessTokenEncrypted ? { accessTokenEncrypted } : {}),
        ...(refreshTokenEncrypted ? { refreshTokenEncrypted } : {}),
      });
    }
  }
  return counter;
}

// sources.repository.ts has no listing that includes the sealed secret; this is the one reader
// that needs all of them at once.
function listSealedSourceSecrets(tx: Tx) {
  return tx.$queryRaw<{ id: string; secret_encrypted: string }[]>`
    SELECT id, secret_encrypted FROM webhook_sources WHERE secret_encrypted <> '' ORDER BY id FOR UPDATE`;
}

async function rotateWebhookSources(tx: Tx): Promise<TableRotation> {
  const counter: Counter = { table: "webhook_sources", secrets: 0, reencrypted: 0, alreadyCurrent: 0 };
  for (const row of await listSealedSourceSecrets(tx)) {
    const secretEncrypted = rotateValue(counter, row.secret_encrypted, (s) => openSigningSecret(row.id, s), (p) => sealSigningSecret(row.id, p));
    if (secretEncrypted) await updateSource(tx, row.id, { secretEncrypted });
  }
  return counter;
}

export async function rotateSecrets(): Promise<RotationReport> {
  const currentKeyId = requireEncryptionKeys()[0]!.id;
  const tables = await withTransaction(async (tx) => [await rotateEmailAccounts(tx), await rotateWebhookSources(tx)], { timeoutMs: 120_000 });
  getLogger().info({ currentKeyId, tables }, "Secrets re-encrypted under the current key");
  return { currentKeyId, tables };
}
