import type { Page } from "playwright-core";

// Page objects for /runs and /runs/[id].
export class RunsPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/runs${search ? `?${search}` : ""}`);
  }

  row(runId: string) {
    return this.page.locator(`tr[data-run-id="${runId}"]`);
  }

  cell(runId: string, column: "Pipeline" | "Status" | "Trigger" | "Actor" | "Duration") {
    const index = { Pipeline: 1, Status: 2, Trigger: 3, Actor: 4, Duration: 6 }[column];
    return this.row(runId).locator("td").nth(index);
  }

  async toggleFilter(filter: "Status" | "Trigger", value: string): Promise<void> {
    const search = this.page.getByRole("search", { name: "Filter runs" });
    await search.getByRole("button", { name: new RegExp(`^${filter}:`) }).click();
    await search.getByRole("group", { name: filter }).getByLabel(value, { exact: true }).click();
    await this.page.keyboard.press("Escape");
  }

  emptyState() {
    return this.page.getByText(/^No runs (match these filters|yet)$/);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByRole("button", { name: "Clear filters" }).click();
  }

  async openRun(runId: string): Promise<void> {
    await this.row(runId).getByRole("link", { name: /…/ }).click();
    await this.page.waitForURL(new RegExp(`/runs/${runId}$`));
  }
}

export class RunDetailPage {
  constructor(private readonly page: Page) {}

  status() {
    return this.page.getByTestId("run-status");
  }

  actor() {
    return this.page.getByTestId("run-actor");
  }

  input() {
    return this.page.getByTestId("run-input");
  }

  output() {
    return this.page.getByTestId("run-output");
  }

  /** "Attempt 2 of 3 · work key …" under the title. */
  attemptLine() {
    return this.page.getByTestId("run-attempt-line");
  }

  /** The entries of the Attempts section, first attempt first. */
  attempts() {
    return this.page.getByTestId("run-attempts").locator("li");
  }

  attempt(runId: string) {
    return this.page.getByTestId("run-attempts").locator(`li[data-run-id="${runId}"]`);
  }

  async openAttempt(runId: string): Promise<void> {
    await this.attempt(runId).getByRole("link").click();
    await this.page.waitForURL(new RegExp(`/runs/${runId}$`));
  }

  detail(label: string) {
    return this.page.locator("dl > div", { has: this.page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");
  }
}
