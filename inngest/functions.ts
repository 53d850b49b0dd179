import { maintenanceTickFunction } from "@/inngest/functions/maintenance-tick";
import { scheduleRunFunction } from "@/inngest/functions/schedule-run";
import { scheduleTickFunction } from "@/inngest/functions/schedule-tick";
import { gmailNotificationFunction, gmailPollFunction, gmailWatchRenewalFunction, triageSyncFunction } from "@/inngest/functions/triage-sync";
import { webhookDispatchFunction } from "@/inngest/functions/webhook-dispatch";

// Every Inngest function this app serves at /api/inngest.
export const functions = [
  scheduleTickFunction, scheduleRunFunction, webhookDispatchFunction, maintenanceTickFunction,
  triageSyncFunction,
  gmailNotificationFunction,
  gmailWatchRenewalFunction,
  gmailPollFunction,
];
