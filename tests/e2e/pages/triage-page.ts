import type { Locator, Page } from "playwright-core";

// Page objects for /triage (mailboxes, stats, inbox, review queue, action log) and /triage/settings.
export class TriagePage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/triage${search ? `?${search}` : ""}`);
  }

  connectLink() {
    return this.page.getByTestId("connect-gmail").first();
  }

  mailbox(email: string) {
    return this.page.locator(`[data-testid="mailbox"][data-email="${email}"]`);
  }

  progress(email: string) {
    return this.mailbox(email).getByTestId("sync-progress");
  }

  async waitForSync(email: string, status = "succeeded"): Promise<void> {
    await this.mailbox(email).locator(`[data-testid="sync-progress"][data-status="${status}"]`).waitFor({ timeout: 60_000 });
  }

  counter(email: string, name: "processed" | "applied" | "review") {
    return this.progress(email).getByTestId(`sync-${name}`);
  }

  tab(view: "inbox" | "review" | "log") {
    return this.page.getByRole("tablist", { name: "Triage views" }).getByTestId(`triage-tab-${view}`);
  }

  categoryFilter(category: string) {
    return this.page.getByTestId(`category-filter-${category}`);
  }

  message(subject: string) {
    return this.page.getByTestId("triaged-message").filter({ hasText: subject });
  }

  reviewItem(subject: string) {
    return this.page.getByTestId("review-item").filter({ hasText: subject });
  }

  /** Chooses a category and a sender rule for an item of the review queue, then submits. */
  async review(item: Locator, choice: { category?: string; rule?: RegExp }): Promise<void> {
    if (choice.category) await item.getByRole("radiogroup", { name: "Category" }).locator(`[data-category="${choice.category}"]`).click();
    if (choice.rule) await item.getByLabel(choice.rule).check();
    await item.getByTestId("review-submit").click();
  }

  action(subject: string, kind: "apply" | "review" | "undo") {
    return this.page.locator(`tr[data-kind="${kind}"]`, { hasText: subject });
  }

  run(runId: string) {
    return this.page.locator(`[data-testid="sync-runs"] tr[data-run-id="${runId}"]`);
  }
}

export class TriageSettingsPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/triage/settings`);
  }

  category(category: string) {
    return this.page.locator(`form[data-category="${category}"]`);
  }

  threshold(category: string) {
    return this.category(category).getByRole("spinbutton");
  }

  async save(category: string): Promise<void> {
    await this.category(category).getByRole("button", { name: /^Save / }).click();
  }

  rule(matchValue: string) {
    return this.page.locator(`tr[data-match="${matchValue}"]`);
  }

  async addRule(rule: { matchType: "address" | "domain"; matchValue: string; category: string }): Promise<void> {
    const form = this.page.getByRole("form", { name: "Add a sender rule" });
    await form.locator("#rule-type").selectOption(rule.matchType);
    await form.locator("#rule-value").fill(rule.matchValue);
    await form.locator("#rule-category").selectOption(rule.category);
    await form.getByRole("button", { name: "Add rule" }).click();
  }
}
