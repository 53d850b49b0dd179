import { AppError } from "@/lib/errors";

// The signature covers the exact bytes sent, so the body is read once, as bytes, and never
// re-serialised. Anything over the cap is refused (413) without reading the rest.

export const MAX_WEBHOOK_BODY_BYTES = 1_000_000;

const tooLarge = (max: number) =>
  new AppError("payload_too_large", `The body is larger than ${Math.round(max / 1000)} KB; it was not stored`);

export async function readRawBody(req: Request, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
