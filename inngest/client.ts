import { Inngest } from "inngest";
import { getConfig } from "@/lib/config";

// The Inngest client, configured from lib/config.ts (never from Inngest's own env lookups).

let client: Inngest | undefined;

export function getInngest(): Inngest {
  if (client) return client;
  const config = getConfig();
  const devUrl = config.INNGEST_DEV && /^https?:\/\//.test(config.INNGEST_DEV) ? config.INNGEST_DEV : undefined;
  client = new Inngest({
    id: "personal-automations",
    isDev: config.inngestMode === "dev",
    baseUrl: devUrl ?? config.INNGEST_BASE_URL,
    eventKey: config.INNGEST_EVENT_KEY,
    signingKey: config.INNGEST_SIGNING_KEY,
    signingKeyFallback: config.INNGEST_SIGNING_KEY_FALLBACK,
  });
  return client;
}
