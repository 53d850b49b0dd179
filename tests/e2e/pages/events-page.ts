import type { Page } from "playwright-core";

// Page objects for /events, /events/[id] and /events/sources.
export class EventsPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/events${search ? `?${search}` : ""}`);
  }

  row(eventId: string) {
    return this.page.locator(`tr[data-event-id="${eventId}"]`);
  }

  cell(eventId: string, column: "Received" | "Status" | "Source" | "Type" | "Delivery" | "Attempts" | "Runs") {
    const index = { Received: 0, Status: 1, Source: 2, Type: 3, Delivery: 4, Attempts: 5, Runs: 6 }[column];
    return this.row(eventId).locator("td").nth(index);
  }

  /** The status pill alone (the cell also holds a failed or dead event's Retry and its outcome). */
  status(eventId: string) {
    return this.cell(eventId, "Status").locator("[data-status]");
  }

  /** The Retry button in a failed or dead event's row. */
  retryButton(eventId: string) {
    return this.row(eventId).getByRole("button", { name: /^Retry/ });
  }

  async open(eventId: string): Promise<void> {
    await this.row(eventId).getByRole("link").first().click();
    await this.page.waitForURL(new RegExp(`/events/${eventId}$`));
  }
}

export class EventDetailPage {
  constructor(private readonly page: Page) {}

  status() {
    return this.page.getByTestId("event-status");
  }

  error() {
    return this.page.getByTestId("event-error");
  }

  payload() {
    return this.page.getByTestId("event-payload");
  }

  /** What happens next to a failed or dead event, under its error. */
  nextStep() {
    return this.page.getByTestId("event-next-step");
  }

  dispatches() {
    return this.page.getByTestId("dispatches").locator("li");
  }

  async retry(): Promise<void> {
    await this.page.getByRole("button", { name: "Retry" }).click();
  }
}

export class SourcesPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/events/sources`);
  }

  async create(name: string, description: string): Promise<void> {
    const form = this.page.getByRole("form", { name: "Create a webhook source" });
    await form.getByLabel("Name").fill(name);
    await form.getByLabel(/^Description/).fill(description);
    await form.getByRole("button", { name: "Create source" }).click();
  }

  secret() {
    return this.page.getByTestId("signing-secret");
  }

  source(name: string) {
    return this.page.locator("section", { has: this.page.locator(`[data-source="${name}"]`) });
  }

  async subscribe(source: string, eventType: string, pipeline: string, template: string): Promise<void> {
    const form = this.page.getByRole("form", { name: `Add a subscription to ${source}` });
    await form.getByLabel("Event type").fill(eventType);
    await form.getByLabel("Pipeline").selectOption(pipeline);
    await form.getByLabel("Input template").fill(template);
    await form.getByRole("button", { name: "Add subscription" }).click();
  }
}
