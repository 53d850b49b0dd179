import type { Page } from "playwright-core";

// Page objects for /jobs, /jobs/new and /jobs/[id].
export class JobsPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/jobs${search ? `?${search}` : ""}`);
  }

  row(jobId: string) {
    return this.page.locator(`tr[data-job-id="${jobId}"]`);
  }

  status(jobId: string) {
    return this.row(jobId).locator("[data-status]");
  }

  tab(status: string) {
    return this.page.getByRole("tablist", { name: "Job status" }).getByTestId(`jobs-tab-${status}`);
  }

  async selectKind(kind: string): Promise<void> {
    await this.page.getByRole("search", { name: "Filter jobs" }).getByLabel("Kind").selectOption(kind);
  }

  async openJob(jobId: string): Promise<void> {
    await this.row(jobId).getByRole("link", { name: /…/ }).click();
    await this.page.waitForURL(new RegExp(`/jobs/${jobId}$`));
  }
}

export class NewJobPage {
  constructor(private readonly page: Page) {}

  async fill({ kind, input, priority }: { kind: string; input: unknown; priority?: number }): Promise<void> {
    await this.page.getByLabel("Kind").selectOption(kind);
    await this.page.getByLabel("Input JSON").fill(JSON.stringify(input, null, 2));
    if (priority !== undefined) await this.page.getByLabel("Priority").fill(String(priority));
  }

  async submit(): Promise<void> {
    await this.page.getByRole("button", { name: "Create job" }).click();
  }

  alert() {
    return this.page.getByTestId("form-error");
  }
}

export class JobDetailPage {
  constructor(private readonly page: Page) {}

  jobId(): string {
    return new URL(this.page.url()).pathname.split("/").pop() ?? "";
  }

  status() {
    return this.page.getByTestId("job-status");
  }

  instructions() {
    return this.page.getByTestId("job-instructions");
  }

  input() {
    return this.page.getByTestId("job-input");
  }

  events() {
    return this.page.getByTestId("job-events").locator("tbody tr");
  }

  async cancel(): Promise<void> {
    await this.page.getByRole("button", { name: "Cancel job" }).click();
  }

  async retry(): Promise<void> {
    await this.page.getByRole("button", { name: "Retry job" }).click();
  }

  detail(label: string) {
    return this.page.locator("dl > div", { has: this.page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");
  }
}
