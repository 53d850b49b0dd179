import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { remoteFakeGmail } from "../fakes/gmail-remote";
import { remoteFakeOpenAI } from "../fakes/openai-server";
import { DashboardPage } from "./pages/dashboard-page";
import { TriagePage, TriageSettingsPage } from "./pages/triage-page";
import { screenshot } from "./setup/browser";
import { openSignedIn, type SignedIn } from "./setup/signed-in";

const { baseUrl, ownerEmail, ownerPassword, gmailUrl, openaiUrl } = inject("e2e");
const gmail = remoteFakeGmail(gmailUrl);
const openai = remoteFakeOpenAI(openaiUrl);

// Email triage from the dashboard, in one signed-in session against the fake Gmail: connect a
// mailbox through the consent screen, watch its backfill finish, read the triaged inbox, decide
// two messages in the review queue (one correction with a sender rule), undo an action and a
// whole run from the action log, and check each change on the fake mailbox's labels.

// The fake's default mailbox, the one the Connect Gmail button's consent lands on.
const ADDRESS = "inbox@e2e.test";
const TAG = `t${Date.now().toString(36)}`;
const MAIL_DIR = path.resolve(import.meta.dirname, "../fixtures/mail");
// Each subject carries the run's tag, so nothing another test put in the fake can be mistaken for it.
const FIXTURES = {
  newsletter: { file: "newsletter.eml", subject: "The Weekly Reader, issue 112" },
  github: { file: "github-notification.eml", subject: "Fix race in lease expiry" },
  invoice: { file: "invoice.eml", subject: "Your invoice INV-2041 for March" },
  receipt: { file: "paypal-receipt.eml", subject: "Receipt for your payment to Bookshop Ltd" },
  lease: { file: "action-needed.eml", subject: "sign the lease renewal by Friday" },
  dinner: { file: "personal.eml", subject: "dîner on Friday" },
  invitation: { file: "nested/invitation.eml", subject: "Invitation: Quarterly planning" },
} as const;
type Name = keyof typeof FIXTURES;

function tagged(file: string): string {
  const raw = readFileSync(path.join(MAIL_DIR, file), "latin1");
  return raw.replace(/^Subject: (.*)$/m, (_line, subject: string) => `Subject: ${subject} [${TAG}]`);
}

const labelsOf = async (id: string) => [...((await gmail.message(id, ADDRESS))?.labelIds ?? [])].sort();

describe("email triage (browser)", () => {
  let signedIn: SignedIn;
  let page: Page;
  let triage: TriagePage;
  const ids = {} as Record<Name, string>;
  let backfillRunId: string;

  beforeAll(async () => {
    signedIn = await openSignedIn(baseUrl, { email: ownerEmail, password: ownerPassword });
    page = signedIn.page;
    triage = new TriagePage(page, baseUrl);
    const names = Object.keys(FIXTURES) as Name[];
    const added = await gmail.addMessages(names.map((n) => tagged(FIXTURES[n].file)), { email: ADDRESS });
    names.forEach((n, i) => (ids[n] = added[i]!));
    // Stage 1 finds two messages ambiguous: the meeting invitation and the GitHub review request. Both go
    // to the model, concurrently; it answers for the invitation, and its answer for GitHub is not JSON, so
    // stage 1's guess stands there.
    await openai.reset();
    await openai.script({
      whenPromptContains: "Quarterly planning",
      text: JSON.stringify({ category: "other", confidence: 0.62, reasons: ["a calendar invitation from a colleague"] }),
    });
  });
  afterAll(async () => {
    await openai.reset();
    await signedIn?.browser.close();
  });

  it("connects Gmail through the consent screen and shows the backfill's progress until it has finished", async () => {
    const dashboard = new DashboardPage(page, baseUrl);
    await dashboard.navigate("Triage");
    await dashboard.heading("Email triage").waitFor();
    expect(await triage.connectLink().getAttribute("href")).toBe("/api/email/connect?returnTo=%2Ftriage");
    await triage.connectLink().click();
    await page.waitForURL((url) => url.pathname === "/triage");
    await page.getByText(`Connected ${ADDRESS}.`).waitFor();
    await triage.progress(ADDRESS).waitFor();
    await triage.waitForSync(ADDRESS);
    backfillRunId = (await triage.progress(ADDRESS).getAttribute("data-run-id"))!;
    expect(await triage.progress(ADDRESS).textContent()).toContain("Backfill");
    expect(await triage.counter(ADDRESS, "processed").textContent()).toMatch(/^7 of 7 messages$/);
    expect(await triage.counter(ADDRESS, "applied").textContent()).toBe("5");
    expect(await triage.counter(ADDRESS, "review").textContent()).toBe("2");
    expect(await triage.mailbox(ADDRESS).getByTestId("watch-status").textContent()).toContain("GMAIL_PUBSUB_TOPIC");
    await screenshot(page, "triage-backfill");

    // What triage did is in Gmail: the invoice has its label, the newsletter left the inbox.
    expect(await labelsOf(ids.invoice)).toHaveLength(3);
    expect(await labelsOf(ids.newsletter)).not.toContain("INBOX");
    expect(await labelsOf(ids.invitation)).toEqual(["INBOX", "UNREAD"]);
    // A friend's dinner reply is decided as Other, which changes nothing in Gmail.
    expect(await labelsOf(ids.dinner)).toEqual(["INBOX", "UNREAD"]);
  });

  it("lists the triaged mail with categories, confidence and reasons, filtered by category", async () => {
    await triage.message(`${FIXTURES.invoice.subject} [${TAG}]`).waitFor();
    const invoice = triage.message(FIXTURES.invoice.subject).filter({ hasText: TAG });
    expect(await invoice.locator("[data-category]").first().getAttribute("data-category")).toBe("finance");
    expect(await invoice.getAttribute("data-status")).toBe("applied");
    expect(await invoice.getByTestId("confidence").textContent()).toMatch(/^9\d%$/);
    await invoice.getByTestId("reasons-toggle").click();
    expect(await invoice.getByTestId("reasons").textContent()).toContain("invoice");
    await invoice.getByRole("button", { name: "Undo" }).waitFor();

    const invitation = triage.message(FIXTURES.invitation.subject).filter({ hasText: TAG });
    expect(await invitation.getAttribute("data-status")).toBe("review");
    expect(await invitation.textContent()).toContain("model");
    expect(await invitation.getByRole("button", { name: "Undo" }).count()).toBe(0);

    await triage.categoryFilter("finance").click();
    await expect.poll(() => triage.message(FIXTURES.newsletter.subject).count()).toBe(0);
    await triage.message(FIXTURES.receipt.subject).filter({ hasText: TAG }).waitFor();
    expect(new URL(page.url()).searchParams.get("category")).toBe("finance");
    await screenshot(page, "triage-inbox");
    await triage.categoryFilter("all").click();
  });

  it("moves a message to another category with a sender rule, and confirms another, changing Gmail's labels", async () => {
    await triage.tab("review").click();
    expect(new URL(page.url()).searchParams.get("view")).toBe("review");
    const invitation = triage.reviewItem(FIXTURES.invitation.subject).filter({ hasText: TAG });
    await invitation.waitFor();
    expect(await invitation.getByTestId("suggestion-confidence").textContent()).toBe("62% sure, by model");
    expect(await invitation.textContent()).toContain("a calendar invitation from a colleague");
    await screenshot(page, "triage-review");

    await triage.review(invitation, { category: "action_needed", rule: /and a rule for alex@work\.example/ });
    await page.getByText("Mail from alex@work.example now goes to Action needed by your rule.").waitFor();
    await expect.poll(() => invitation.count()).toBe(0);
    const invitationLabels = await labelsOf(ids.invitation);
    expect(invitationLabels).toEqual(expect.arrayContaining(["INBOX", "UNREAD"]));
    expect(invitationLabels).toHaveLength(3); // + the Action needed label

    // The GitHub review request: confirmed as a notification, so it is labelled, archived and read.
    await triage.review(triage.reviewItem(FIXTURES.github.subject).filter({ hasText: TAG }), {});
    await page.getByText(/Confirmed: .*Fix race in lease expiry.* is filed as Notifications\./).waitFor();
    const githubLabels = await labelsOf(ids.github);
    expect(githubLabels).toHaveLength(1);
    expect(githubLabels[0]).not.toMatch(/^(INBOX|UNREAD)$/);
  });

  it("undoes one action from the log, then what is left of the whole backfill, and Gmail's labels are as before", async () => {
    await triage.tab("log").click();
    const invoiceAction = triage.action(FIXTURES.invoice.subject, "apply").filter({ hasText: TAG });
    await invoiceAction.waitFor();
    expect(await invoiceAction.getByTestId("labels-before").textContent()).toBe("InboxUnread");
    expect(await invoiceAction.textContent()).toContain("Triage");
    await invoiceAction.getByRole("button", { name: "Undo" }).click();
    await page.getByText(/Undone: .*Your invoice INV-2041 for March.* has its labels back as they were/).waitFor();
    await invoiceAction.getByTestId("action-state").getByText(/^undone/).waitFor();
    expect(await labelsOf(ids.invoice)).toEqual(["INBOX", "UNREAD"]);
    await triage.action(FIXTURES.invoice.subject, "undo").filter({ hasText: TAG }).waitFor();
    await screenshot(page, "triage-log");

    // The rest of the backfill: the three actions still in effect (Other changes nothing, so the dinner reply has none).
    const run = triage.run(backfillRunId);
    await run.getByRole("button", { name: "Undo this run" }).click();
    await run.getByRole("button", { name: "Undo run" }).click();
    await page.getByText("Undone: 3 actions of this run reversed in Gmail; the messages wait in the review queue.").waitFor();
    await run.getByText(/^undone/).waitFor();
    for (const name of ["newsletter", "receipt", "lease", "dinner"] as const) expect(await labelsOf(ids[name])).toEqual(["INBOX", "UNREAD"]);
    // The owner's own decisions are not the run's to undo.
    expect(await labelsOf(ids.invitation)).toHaveLength(3);
  });

  it("shows the correction's sender rule in the settings, and saves a threshold after refusing an invalid one", async () => {
    await page.getByRole("main").getByRole("link", { name: "Settings" }).click();
    const settings = new TriageSettingsPage(page, baseUrl);
    await new DashboardPage(page, baseUrl).heading("Triage settings").waitFor();
    const rule = settings.rule("alex@work.example");
    await rule.waitFor();
    expect(await rule.textContent()).toContain("from a correction");
    expect(await rule.locator("[data-category]").getAttribute("data-category")).toBe("action_needed");

    await settings.threshold("finance").fill("0.3");
    await settings.save("finance");
    expect(await settings.category("finance").getByTestId("field-error").textContent()).toBe("Threshold must be at least 0.5");
    await settings.threshold("finance").fill("0.8");
    await settings.save("finance");
    await settings.category("finance").getByText("Saved. It applies from the next sync.").waitFor();
    await screenshot(page, "triage-settings");
    await page.reload();
    expect(await settings.threshold("finance").inputValue()).toBe("0.8");

    await settings.addRule({ matchType: "domain", matchValue: "Weeklyreader.example", category: "newsletters" });
    await settings.rule("weeklyreader.example").waitFor();
    await settings.rule("weeklyreader.example").getByRole("button", { name: /Delete the rule/ }).click();
    await settings.rule("weeklyreader.example").getByRole("button", { name: "Delete", exact: true }).click();
    await expect.poll(() => settings.rule("weeklyreader.example").count()).toBe(0);
  });

  it("disconnects the mailbox after a confirmation; what it changed can no longer be undone from here", async () => {
    const triage = new TriagePage(page, baseUrl);
    await triage.goto("view=log");
    const mailbox = triage.mailbox(ADDRESS);
    await mailbox.getByRole("button", { name: "Disconnect" }).click();
    await mailbox.getByText(`Disconnect ${ADDRESS}? Triage stops for this inbox.`).waitFor();
    await mailbox.getByRole("button", { name: "Disconnect" }).click();
    await page.getByText("Disconnected: Google's grant is revoked and the tokens are deleted.").waitFor();

    // The owner's review of the invitation is still in effect in Gmail, but there are no tokens to undo it with.
    const review = triage.action(FIXTURES.invitation.subject, "review").filter({ hasText: TAG });
    await review.getByTestId("action-state").getByText("mailbox disconnected").waitFor();
    expect(await review.getByRole("button", { name: "Undo" }).count()).toBe(0);
    await screenshot(page, "triage-disconnected");

    const accounts = (await (await page.context().request.get(`${baseUrl}/api/email/accounts`)).json()) as { accounts: { emailAddress: string; status: string }[] };
    expect(accounts.accounts.find((a) => a.emailAddress === ADDRESS)?.status).toBe("disconnected");
  });
});
