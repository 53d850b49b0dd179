// What the context hub editor's save action answers.
export type SaveFileResult =
  /** Written; the run that wrote it is on the record. */
  | { status: "saved"; runId: string; path: string; sha256: string }
  /** Someone else changed the file since it was opened (or it now exists); the failed run is on the record. */
  | { status: "conflict"; runId: string; message: string }
  | { status: "error"; runId?: string; message: string };

export type SaveFileAction = (path: string, content: string, expectedSha256: string | null) => Promise<SaveFileResult>;
