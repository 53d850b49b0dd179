import type { Page } from "playwright-core";

// Page object for /sign-in.
export class SignInPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(path = "/sign-in"): Promise<void> {
    await this.page.goto(this.baseUrl + path);
    await this.page.getByRole("heading", { name: "Sign in to Personal Automations" }).waitFor();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  error() {
    return this.page.getByTestId("form-error");
  }
}
