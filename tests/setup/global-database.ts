import type { TestProject } from "vitest/node";
import { startTestCluster } from "./database";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; runId: string; template: string };
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  project.provide("testDatabase", { adminUrl: cluster.adminUrl, runId: cluster.runId, template: cluster.template });
  return () => cluster.stop();
}
