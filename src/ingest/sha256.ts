import { createHash } from "node:crypto";

/** Hex sha256: content hashes of files, tickets and embedded text. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
