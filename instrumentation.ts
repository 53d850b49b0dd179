// Runs once when the Next.js server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("@/lib/config");
  getConfig(); // fail fast, naming the bad variable
  const { initServerSentry } = await import("@/lib/observability");
  initServerSentry();
}

export { captureRequestError as onRequestError } from "@sentry/nextjs";
