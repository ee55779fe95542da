import type { ApiKey } from "./api-key.js";

const encoder = new TextEncoder();

/** SHA-256 with Web Crypto, so Node and the Workers runtime share this code. */
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Equal-length byte strings compared without an early exit. */
function sameBytes(left: Uint8Array, right: Uint8Array): boolean {
  let difference = left.length ^ right.length;
  for (let index = 0; index < left.length; index++) {
    difference |= (left[index] ?? 0) ^ (right[index] ?? 0);
  }
  return difference === 0;
}

/**
 * The key a bearer token belongs to, or undefined. Every configured key is compared, over
 * fixed-length digests and without early exits, so timing tells nothing about the keys.
 */
export async function matchApiKey(
  token: string,
  keys: readonly ApiKey[],
): Promise<ApiKey | undefined> {
  const presented = await digest(token);
  let matched: ApiKey | undefined;
  for (const candidate of keys) {
    const same = sameBytes(presented, await digest(candidate.key));
    if (same && matched === undefined) matched = candidate;
  }
  return matched;
}
