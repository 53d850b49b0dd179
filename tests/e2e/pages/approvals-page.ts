import type { Locator, Page } from "playwright-core";

// The Approvals page: one card per approval, with Approve / Deny… and the reason form.
export class ApprovalsPage {
  constructor(private readonly page: Page) {}

  card(id: string): Locator {
    return this.page.locator(`li[data-approval="${id}"]`);
  }

  status(id: string): Locator {
    return this.card(id).locator("[data-status]").first();
  }

  badge(): Locator {
    return this.page.getByRole("navigation", { name: "Main" }).getByTestId("approvals-badge");
  }

  async approve(id: string): Promise<void> {
    await this.card(id).getByRole("button", { name: /^Approve/ }).click();
  }

  async deny(id: string, reason: string): Promise<void> {
    await this.card(id).getByRole("button", { name: "Deny…" }).click();
    await this.card(id).getByLabel("Why not?").fill(reason);
    await this.card(id).getByRole("button", { name: "Deny", exact: true }).click();
  }
}
