import type { Page } from "playwright-core";

// Page object for the signed-in dashboard shell.
export class DashboardPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(path = "/"): Promise<void> {
    await this.page.goto(this.baseUrl + path);
  }

  heading(name: string) {
    return this.page.getByRole("heading", { level: 1, name });
  }

  stat(label: string) {
    return this.page.locator("section", { has: this.page.getByText(label, { exact: true }) }).locator("p").nth(1);
  }

  async navigate(label: string): Promise<void> {
    await this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole("button", { name: "Sign out" }).click();
  }
}
