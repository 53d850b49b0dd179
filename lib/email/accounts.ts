import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { getConfig } from "@/lib/config";
import { decryptSecret, encryptSecret } from "@/lib/crypto/encryption";
import { autocommit, withTransaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { getLogger } from "@/lib/logger";
import * as accounts from "./accounts.repository";
import type { AccountRow, SealedTokens } from "./accounts.repository";
import { toGmailAppError } from "./gmail-errors";
import { GmailProvider, type GmailProviderOptions } from "./gmail-provider";
import { ownedAccountsWhere, type MailboxScope } from "./mailbox-access";
import { createOAuthClient, exchangeCode, type GoogleClientSettings, type GoogleEndpoints, type OAuthTokens } from "./oauth";

// Connected Gmail accounts: the code exchange, the token store and disconnect. Tokens are sealed
// (AES-256-GCM, lib/crypto/encryption.ts) with a context naming the account and the field, opened
// only to build a GmailProvider or to revoke them, and never part of a DTO, a log line or an error.

export const EMAIL_ACCOUNT_STATUSES = ["connected", "error", "disconnected"] as const;
export type EmailAccountStatus = (typeof EMAIL_ACCOUNT_STATUSES)[number];

// Strict: parsing an object that carries any other key (a token, say) fails instead of passing it on.
export const emailAccountDtoSchema = z
  .strictObject({
    id: z.string().describe("eml_…"),
    emailAddress: z.email(),
    provider: z.literal("gmail"),
    status: z.enum(EMAIL_ACCOUNT_STATUSES).describe("disconnected = tokens revoked and deleted; error = see lastError"),
    lastError: z.string().nullable(),
    scopes: z.array(z.string()).describe("The scopes Google granted"),
    historyId: z.string().nullable().describe("Where the next incremental sync continues from"),
    watchExpiration: z.iso.datetime().nullable(),
    watchRenewedAt: z.iso.datetime().nullable(),
    watchError: z.string().nullable().describe("Why the last watch renewal failed; null when it worked"),
    lastSyncAt: z.iso.datetime().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "EmailAccount" });

export type EmailAccountDto = z.infer<typeof emailAccountDtoSchema>;

export function toEmailAccountDto(row: AccountRow): EmailAccountDto {
  return emailAccountDtoSchema.parse({
    id: row.id,
    emailAddress: row.emailAddress,
    provider: row.provider,
    status: row.status,
    lastError: row.lastError,
    scopes: row.scopes,
    historyId: row.historyId,
    watchExpiration: row.watchExpiration?.toISOString() ?? null,
    watchRenewedAt: row.watchRenewedAt?.toISOString() ?? null,
    watchError: row.watchError,
    lastSyncAt: row.lastSyncAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
}

/** Google client settings; each defaults to config (GOOGLE_CLIENT_ID/SECRET, GMAIL_API_URL, GOOGLE_TOKEN_URL, GOOGLE_AUTH_URL). */
export type GoogleOptions = { clientId?: string; clientSecret?: string; endpoints?: Partial<GoogleEndpoints> };

function configuredEndpoints(): Partial<GoogleEndpoints> {
  const config = getConfig();
  const endpoints: Partial<GoogleEndpoints> = {};
  if (config.GMAIL_API_URL) endpoints.gmailRootUrl = config.GMAIL_API_URL.endsWith("/") ? config.GMAIL_API_URL : `${config.GMAIL_API_URL}/`;
  if (config.GOOGLE_TOKEN_URL) {
    endpoints.tokenUrl = config.GOOGLE_TOKEN_URL;
    // Revocation sits next to the token endpoint, as at Google (oauth2.googleapis.com/token and /revoke).
    endpoints.revokeUrl = new URL("revoke", config.GOOGLE_TOKEN_URL).toString();
  }
  if (config.GOOGLE_AUTH_URL) endpoints.authUrl = config.GOOGLE_AUTH_URL;
  return endpoints;
}

/** The settings for Google's endpoints; throws when no OAuth client is configured. */
export function googleSettings(options: GoogleOptions = {}): GoogleClientSettings {
  const config = getConfig();
  const clientId = options.clientId ?? config.GOOGLE_CLIENT_ID;
  const clientSecret = options.clientSecret ?? config.GOOGLE_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    throw new AppError("unavailable", "Gmail is not configured: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (see .env.example).");
  }
  return { clientId, clientSecret, endpoints: { ...configuredEndpoints(), ...options.endpoints } };
}

const contextFor = (accountId: string, field: "access_token" | "refresh_token") => `email_account:${accountId}:${field}`;

export const tokenContexts = {
  accessToken: (accountId: string) => contextFor(accountId, "access_token"),
  refreshToken: (accountId: string) => contextFor(accountId, "refresh_token"),
};

function sealTokens(accountId: string, tokens: { accessToken: string; refreshToken: string; expiresAt: Date | null }): SealedTokens {
  return {
    accessTokenEncrypted: encryptSecret(tokens.accessToken, tokenContexts.accessToken(accountId)),
    refreshTokenEncrypted: encryptSecret(tokens.refreshToken, tokenContexts.refreshToken(accountId)),
    accessTokenExpiresAt: tokens.expiresAt,
  };
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

async function storeConnection(tokens: OAuthTokens, profile: { emailAddress: string; historyId: string }, createdBy: string | null): Promise<AccountRow> {
  const emailAddress = profile.emailAddress.trim().toLowerCase();
  // Two attempts: a concurrent first connect of the same address loses the insert race and then
  // finds the row, whose id its tokens must be sealed under.
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(async (tx) => {
        const existing = await accounts.findAccountByAddress(tx, emailAddress);
        if (existing) return accounts.replaceTokens(tx, existing.id, { scopes: tokens.scopes, ...sealTokens(existing.id, tokens) });
        const id = newId("eml");
        return accounts.insertAccount(tx, {
          id,
          emailAddress,
          provider: "gmail",
          scopes: tokens.scopes,
          historyId: profile.historyId,
          createdBy,
          ...sealTokens(id, tokens),
        });
      });
    } catch (error) {
      if (attempt < 2 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

/**
 * Completes the consent redirect: exchanges the code, reads the profile to learn the address, and
 * stores the tokens sealed. Connecting an address again replaces its tokens (same account id).
 */
export async function connectGmailAccount(input: { code: string; redirectUri: string; createdBy?: string | null; google?: GoogleOptions }): Promise<EmailAccountDto> {
  const settings = { ...googleSettings(input.google), redirectUri: input.redirectUri };
  const tokens = await exchangeCode(settings, input.code);
  const profile = await new GmailProvider({ ...settings, tokens, retries: 1 }).getProfile();
  if (!profile.emailAddress) throw new AppError("bad_gateway", "Gmail did not say which address the account has; connect again.");
  const row = await storeConnection(tokens, profile, input.createdBy ?? null);
  getLogger({ accountId: row.id }).info({ emailAddress: row.emailAddress }, "Gmail account connected");
  return toEmailAccountDto(row);
}

async function requireAccount(id: string): Promise<AccountRow> {
  const row = await accounts.findAccountById(autocommit(), id);
  if (!row) throw new AppError("not_found", `No email account ${id}`);
  return row;
}

/**
 * A GmailProvider for a connected account. Each automatic refresh is sealed and stored before the
 * call that caused it returns.
 */
export async function gmailProviderFor(
  accountId: string,
  options: { google?: GoogleOptions } & Pick<GmailProviderOptions, "concurrency" | "retries" | "timeoutMs" | "messagesPerSecond"> = {},
): Promise<GmailProvider> {
  const { google, ...rest } = options;
  const settings = googleSettings(google);
  await requireAccount(accountId);
  const sealed = await accounts.findSealedTokens(autocommit(), accountId);
  if (!sealed) throw new AppError("conflict", "This email account is disconnected; connect it again.");
  return new GmailProvider({
    ...settings,
    messagesPerSecond: getConfig().GMAIL_MESSAGES_PER_SECOND,
    ...rest,
    tokens: {
      accessToken: sealed.accessTokenEncrypted ? decryptSecret(sealed.accessTokenEncrypted, tokenContexts.accessToken(accountId)) : null,
      refreshToken: decryptSecret(sealed.refreshTokenEncrypted, tokenContexts.refreshToken(accountId)),
      expiresAt: sealed.accessTokenExpiresAt,
    },
    onTokens: (tokens) => accounts.storeRefreshedTokens(autocommit(), accountId, sealTokens(accountId, tokens)),
  });
}

/**
 * Revokes the account's grant at Google and deletes its tokens. A failed revoke is logged (never
 * with the token) and the tokens are deleted anyway: the user can still remove the app's access in
 * their Google account, and a token we no longer hold cannot leak from here.
 */
export async function disconnectAccount(id: string, options: { google?: GoogleOptions } = {}): Promise<EmailAccountDto> {
  await requireAccount(id);
  const log = getLogger({ accountId: id });
  const sealed = await accounts.findSealedTokens(autocommit(), id);
  if (sealed) {
    let refreshToken: string | null = null;
    try {
      refreshToken = decryptSecret(sealed.refreshTokenEncrypted, tokenContexts.refreshToken(id));
    } catch (error) {
      log.warn({ reason: error instanceof Error ? error.message : "unknown" }, "Could not open the stored Gmail token to revoke it; deleting it anyway");
    }
    if (refreshToken) {
      const config = getConfig();
      const client = createOAuthClient({
        clientId: options.google?.clientId ?? config.GOOGLE_CLIENT_ID ?? "",
        clientSecret: options.google?.clientSecret ?? config.GOOGLE_CLIENT_SECRET ?? "",
        endpoints: { ...configuredEndpoints(), ...options.google?.endpoints },
      });
      try {
        // Revoking the refresh token ends the whole grant, access tokens included.
        await client.revokeToken(refreshToken);
      } catch (error) {
        const described = toGmailAppError(error, "revoking the Gmail access", [refreshToken]);
        log.warn({ code: described.code, reason: described.message }, "Google did not confirm the revocation; the tokens are deleted anyway");
      }
    }
  }
  await accounts.clearTokens(autocommit(), id);
  log.info("Gmail account disconnected");
  return toEmailAccountDto(await requireAccount(id));
}

/** The scope's own accounts (the operator's: every one), without their tokens. */
export async function listAccounts(scope: MailboxScope): Promise<EmailAccountDto[]> {
  return (await accounts.listAccounts(autocommit(), ownedAccountsWhere(scope))).map(toEmailAccountDto);
}
