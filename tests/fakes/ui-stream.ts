// Reads an AI SDK UI message stream (SSE, `data: {json}` lines ending with `data: [DONE]`) into
// its chunks, for tests that look at what the chat route streamed.

export type UIChunk = { type: string; [key: string]: unknown };

export async function readUIChunks(response: Response): Promise<UIChunk[]> {
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.startsWith("data: ") && line !== "data: [DONE]")
    .map((line) => JSON.parse(line.slice("data: ".length)) as UIChunk);
}

export function streamedText(chunks: UIChunk[]): string {
  return chunks
    .filter((c) => c.type === "text-delta")
    .map((c) => c.delta as string)
    .join("");
}
