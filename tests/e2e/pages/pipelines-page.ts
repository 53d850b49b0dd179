import type { Page } from "playwright-core";

// Page object for /pipelines and /pipelines/[name], with its generated run form.
export class PipelinesPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(name?: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/pipelines${name ? `/${name}` : ""}`);
  }

  card(name: string) {
    return this.page.locator(`[data-testid="pipeline-card"][data-pipeline="${name}"]`);
  }

  async open(name: string): Promise<void> {
    await this.card(name).click();
    await this.page.waitForURL(new RegExp(`/pipelines/${name.replace(".", "\\.")}$`));
    await this.form().waitFor();
  }

  form() {
    return this.page.getByRole("form", { name: /^Run / });
  }

  field(name: string) {
    return this.page.locator(`#field-${name}`);
  }

  fieldError(name: string) {
    return this.page.locator(`[data-field="${name}"] [data-testid="field-error"]`);
  }

  formAlert() {
    return this.form().getByRole("alert");
  }

  async fill(name: string, value: string): Promise<void> {
    await this.field(name).fill(value);
  }

  async useJsonEditor(json: string): Promise<void> {
    await this.form().getByRole("button", { name: "JSON", exact: true }).click();
    await this.page.getByLabel("Input (JSON)").fill(json);
  }

  async run(): Promise<void> {
    await this.form().getByRole("button", { name: "Run pipeline" }).click();
  }

  result() {
    return this.page.getByTestId("run-result");
  }

  output() {
    return this.result().getByTestId("run-output");
  }

  async resultRunId(): Promise<string> {
    const href = await this.result().getByRole("link", { name: /View run/ }).getAttribute("href");
    const id = href?.match(/\/runs\/(run_[0-9a-z]+)$/)?.[1];
    if (!id) throw new Error(`No run link in the result (href ${href})`);
    return id;
  }
}
