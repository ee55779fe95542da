import { describe, expect, it } from "vitest";
import { snippetOf } from "../../src/answer/snippet-of.js";

const fence = "```";

describe("snippetOf", () => {
  it.each([
    [
      "identifiers with underscores and angle brackets",
      "Run pg_terminate_backend(<pid>) for each idle_in_transaction session.",
      "Run pg_terminate_backend(<pid>) for each idle_in_transaction session.",
    ],
    [
      "inline code, verbatim",
      "Run `pg_terminate_backend(<pid>)`, then `SELECT  count(*)  FROM pg_stat_activity`.",
      "Run pg_terminate_backend(<pid>), then SELECT  count(*)  FROM pg_stat_activity.",
    ],
    [
      "emphasis markers",
      "**Do not** restart _orders-db_ or ~~pgbouncer~~ *now*.",
      "Do not restart orders-db or pgbouncer now.",
    ],
    ["heading marks", "### Check the pods\n\nRun it.", "Check the pods Run it."],
    [
      "blockquote marks",
      "> **Warning:** this drops\n> every connection.",
      "Warning: this drops every connection.",
    ],
    [
      "table pipes and the alignment row",
      "| alert | threshold |\n|---|:--:|\n| PgBouncerPoolFull | 95% |",
      "alert threshold PgBouncerPoolFull 95%",
    ],
    [
      "link syntax, keeping the link text",
      "See [the rollback runbook](../runbooks/rollback.md) or <https://status.example.com>.",
      "See the rollback runbook or https://status.example.com.",
    ],
    [
      "an image, as its alt text",
      "![Grafana pool panel](pool.png) shows it.",
      "Grafana pool panel shows it.",
    ],
    [
      "a section that starts with a code block, as its first line of code",
      `${fence}sh\nkubectl -n checkout rollout undo deployment/checkout-api\n${fence}\n\nThen watch the pods.`,
      "kubectl -n checkout rollout undo deployment/checkout-api Then watch the pods.",
    ],
    [
      "a code block's first three lines, # comments included",
      `${fence}bash\n# list the pods\nkubectl get pods -n checkout\n\nkubectl describe pod <pod>\nkubectl logs <pod>\n${fence}`,
      "# list the pods kubectl get pods -n checkout kubectl describe pod <pod>",
    ],
    [
      "a code block after prose",
      `Find the blockers:\n\n${fence}sql\nSELECT pid FROM pg_locks WHERE NOT granted;\n${fence}`,
      "Find the blockers: SELECT pid FROM pg_locks WHERE NOT granted;",
    ],
    [
      "numbered steps, renumbered as they read",
      "1. Confirm which side is full.\n1. Raise `maxTotal` to 64.",
      "1. Confirm which side is full. 2. Raise maxTotal to 64.",
    ],
    [
      "a list starting at 3",
      "3. Drain the node.\n4. Cordon it.",
      "3. Drain the node. 4. Cordon it.",
    ],
    [
      "bullets and task boxes",
      "- [ ] page the DBA\n- [x] open a ticket",
      "- page the DBA - open a ticket",
    ],
    [
      "formatting tags but not placeholders",
      "Press <kbd>Ctrl</kbd>+<kbd>C</kbd> in <namespace>/<pod><br>then retry.",
      "Press Ctrl+C in <namespace>/<pod> then retry.",
    ],
    ["HTML comments", "<!-- owner: data-team -->\n\nVisible text.", "Visible text."],
    [
      "escaped markdown characters",
      "Set \\_\\_init\\_\\_ and 2 \\* 3 workers.",
      "Set __init__ and 2 * 3 workers.",
    ],
    [
      "a lone asterisk or hash",
      "Scale to 2 * 3 pods, see ticket #4512.",
      "Scale to 2 * 3 pods, see ticket #4512.",
    ],
    [
      "line breaks and blank lines",
      "One line\nnext line.\n\n\nAnother   paragraph.",
      "One line next line. Another paragraph.",
    ],
  ])("keeps %s right", (_case, markdown, snippet) => {
    expect(snippetOf(markdown)).toBe(snippet);
  });

  it("cuts at a word boundary after 240 characters and marks the cut", () => {
    const words = Array.from({ length: 80 }, (_, n) => `word_${n}`).join(" ");
    const snippet = snippetOf(`**Steps:** ${words}`);
    expect(snippet.length).toBeLessThanOrEqual(241);
    expect(snippet.endsWith("…")).toBe(true);
    const kept = snippet.slice(0, -1);
    expect(`Steps: ${words}`.startsWith(`${kept} `)).toBe(true);
  });

  it("cuts a long code line without a space near the limit at the limit", () => {
    const token = "x".repeat(400);
    expect(snippetOf(`${fence}\n${token}\n${fence}`)).toBe(`${"x".repeat(240)}…`);
  });

  it("returns short text whole, and an empty string for markup alone", () => {
    expect(snippetOf("Short.")).toBe("Short.");
    expect(snippetOf("---\n\n<!-- nothing -->")).toBe("");
  });
});
