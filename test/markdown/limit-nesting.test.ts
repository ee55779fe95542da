import { describe, expect, it } from "vitest";
import { lexBlocks } from "../../src/markdown/lex-markdown.js";
import { limitNesting } from "../../src/markdown/limit-nesting.js";

describe("nesting limits before markdown is lexed", () => {
  it.each([
    ["nested lists", "1. Drain\n   - cordon first\n     - then drain\n2. Restart"],
    ["quotes two deep", "> note\n> > nested note"],
    ["a code fence with deep indentation", `\`\`\`yaml\n${" ".repeat(60)}deep: value\n\`\`\``],
    ["an indented code block", "    kubectl get pods\n        -n prod"],
  ])("leaves %s exactly as written", (_case, markdown) => {
    expect(limitNesting(markdown)).toBe(markdown);
  });

  it("lexes 3,000 nested quotes, which overflowed marked's stack", () => {
    const hostile = `${">".repeat(3_000)} deep`;
    expect(() => lexBlocks(hostile)).not.toThrow();
    expect(limitNesting(hostile)).toBe(`${"> ".repeat(8)} deep`);
  });

  it("lexes 3,000 nested list items, which took minutes and gigabytes", () => {
    const hostile = Array.from({ length: 3_000 }, (_, level) => `${"  ".repeat(level)}- x`).join(
      "\n",
    );
    const tokens = lexBlocks(hostile);
    expect(tokens[0]?.type).toBe("list");
  });
});
