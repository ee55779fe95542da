import { describe, expect, it } from "vitest";
import { rememberByText } from "../../src/text/remember-by-text.js";

describe("rememberByText", () => {
  it("computes a text once while it stays among the most recently used, and forgets the least recent", () => {
    const computed: string[] = [];
    const upper = rememberByText((text) => {
      computed.push(text);
      return text.toUpperCase();
    }, 2);
    expect(upper("a")).toBe("A");
    expect(upper("b")).toBe("B");
    expect(upper("a")).toBe("A"); // remembered; "b" is now the least recent
    expect(upper("c")).toBe("C"); // forgets "b"
    expect(upper("a")).toBe("A");
    expect(upper("b")).toBe("B"); // computed again
    expect(computed).toEqual(["a", "b", "c", "b"]);
  });

  it("remembers a value that is undefined", () => {
    let calls = 0;
    const nothing = rememberByText(() => {
      calls++;
      return undefined;
    }, 4);
    nothing("x");
    nothing("x");
    expect(calls).toBe(1);
  });
});
