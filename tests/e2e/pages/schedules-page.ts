import type { Page } from "playwright-core";

// Page object for /schedules, the schedule form and a schedule's page with its history.
export class SchedulesPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(path = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/schedules${path}`);
  }

  row(name: string) {
    return this.page.locator(`[data-testid="schedules-table"] tr[data-schedule="${name}"]`);
  }

  form() {
    return this.page.getByRole("form", { name: /schedule$/i });
  }

  field(id: string) {
    return this.page.locator(`#${id}`);
  }

  fieldError(id: string) {
    return this.page.locator(`[data-field="${id}"] [data-testid="field-error"]`);
  }

  preset(label: string) {
    return this.form().getByRole("button", { name: label, exact: true });
  }

  fireTimes() {
    return this.page.getByTestId("fire-time");
  }

  async save(): Promise<void> {
    await this.form().getByRole("button", { name: /^(Create schedule|Save changes)$/ }).click();
  }

  history() {
    return this.page.getByTestId("slot-history");
  }

  historyRows(status?: string) {
    return this.history().locator(status ? `tbody tr[data-status="${status}"]` : "tbody tr");
  }

  async runNow(): Promise<void> {
    await this.page.getByRole("button", { name: "Run now" }).click();
  }
}
