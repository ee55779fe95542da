import { redactInternalDetail } from "./redact-internal-detail.js";

/**
 * Redacts streamed text piece by piece. Host names, addresses and ticket numbers hold no
 * white space, so text up to the last white space is final and is redacted and passed on;
 * the rest waits for the next piece (or `end`), and a name split across pieces is still caught.
 */
export function createRedactingStream(keep: readonly string[]): {
  push(text: string): string;
  end(): string;
  removed(): number;
} {
  let held = "";
  let removed = 0;
  const redact = (text: string) => {
    const result = redactInternalDetail(text, keep);
    removed += result.removed;
    return result.text;
  };
  return {
    push(text) {
      held += text;
      const cut = Math.max(held.lastIndexOf(" "), held.lastIndexOf("\n"), held.lastIndexOf("\t"));
      if (cut === -1) return "";
      const ready = held.slice(0, cut + 1);
      held = held.slice(cut + 1);
      return redact(ready);
    },
    end() {
      const rest = held;
      held = "";
      return rest === "" ? "" : redact(rest);
    },
    removed: () => removed,
  };
}
