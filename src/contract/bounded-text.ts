import * as z from "zod/mini";

/** Request text: trimmed, then at most `max` characters. */
export function boundedText(max: number) {
  return z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`));
}
