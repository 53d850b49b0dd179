import os from "node:os";
import type { Actor } from "@/lib/pipelines/define";

// Who the run record names when a pipeline is run or cancelled from the terminal. The CLI has no
// session or token: whoever can run it on this machine already has the database.

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A container user without a passwd entry.
    return `uid${process.getuid?.() ?? "?"}`;
  }
}

export function cliActor(): Extract<Actor, { type: "system" }> {
  return { type: "system", label: `cli:${osUser()}@${os.hostname()}` };
}
