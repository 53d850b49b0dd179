import type { Page } from "playwright-core";

// Page object for /context: the hub's folder tree, a folder or file, the editor and search.
export class ContextPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async goto(path = ""): Promise<void> {
    await this.page.goto(`${this.baseUrl}/context${path ? `/${path}` : ""}`);
  }

  treeFolder(path: string) {
    return this.page.getByTestId("hub-tree").locator(`a[data-folder="${path}"]`);
  }

  soulLink() {
    return this.page.getByTestId("soul-link");
  }

  overview() {
    return this.page.getByTestId("folder-overview");
  }

  entry(path: string) {
    return this.page.getByTestId("folder-entries").locator(`a[data-file="${path}"]`);
  }

  content() {
    return this.page.getByTestId("file-content");
  }

  async edit(): Promise<void> {
    await this.page.getByRole("link", { name: "Edit", exact: true }).click();
    await this.editor().waitFor();
  }

  editor() {
    return this.page.getByLabel("File content");
  }

  async save(): Promise<void> {
    await this.page.getByRole("button", { name: "Save", exact: true }).click();
  }

  savedRun() {
    return this.page.getByTestId("saved-run");
  }

  changes() {
    return this.page.getByTestId("recent-changes");
  }

  async search(query: string): Promise<void> {
    await this.page.getByRole("searchbox", { name: "Search the context hub" }).fill(query);
    await this.page.getByRole("button", { name: "Search", exact: true }).click();
    await this.page.getByTestId("search-results").or(this.page.getByText("Nothing found")).first().waitFor();
  }

  results() {
    return this.page.getByTestId("search-results").locator("li");
  }
}
