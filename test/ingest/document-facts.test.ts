import { describe, expect, it } from "vitest";
import { documentFacts } from "../../src/ingest/document-facts.js";
import type { KbDocument } from "../../src/ingest/kb-document.js";
import { parseDocument } from "../../src/ingest/parse-document.js";

function parsed(frontmatter: string): KbDocument {
  const result = parseDocument(
    "incidents/outage.md",
    new TextEncoder().encode(`---\n${frontmatter}\n---\n# Outage\n\nText.\n`),
    "hash",
  );
  if (!result.ok) throw new Error(result.reason);
  return result.document;
}

const factsOf = (frontmatter: string) =>
  documentFacts(parsed(frontmatter)).map((fact) => `${fact.label}: ${fact.text}`);

describe("documentFacts", () => {
  it("lists the describing fields in a fixed order, whatever order they were written in", () => {
    expect(
      factsOf(
        [
          "tags: [postgres, failover]",
          "keywords: [patroni, read-only]",
          "resolution: RECONNECT in PgBouncer",
          "root_cause: an I/O stall on the volume",
          "impact: writes failed for 9 minutes",
          "description: Writes failed after a failover",
          "summary: Unplanned failover",
          "severity: sev1",
          "owner: data-team",
          "date: 2026-07-29",
          "services: [orders-db]",
          "aliases: [PatroniLeaderChanged]",
          "runbooks: [runbooks/failover.md]",
        ].join("\n"),
      ),
    ).toEqual([
      "Summary: Unplanned failover",
      "Description: Writes failed after a failover",
      "Impact: writes failed for 9 minutes",
      "Root cause: an I/O stall on the volume",
      "Resolution: RECONNECT in PgBouncer",
      "Keywords: patroni, read-only",
      "Tags: postgres, failover",
    ]);
  });

  it.each([
    ["a text field", "company: Etsy", ["Company: Etsy"]],
    ["a list of text", "categories: [cloud, config-change]", ["Categories: cloud, config-change"]],
    [
      "a camelCase or kebab-case key",
      "rootTrigger: x\nfix-owner: y",
      ["Root trigger: x", "Fix owner: y"],
    ],
    [
      "white space inside a value",
      "product: |\n  Solr\n  index   replication",
      ["Product: Solr index replication"],
    ],
    ["a number", "weight: 20", []],
    ["a boolean", "public: true", []],
    ["a date", "start_time: 2012-01-23T18:39:40Z", []],
    ["a date written as text", "fetched: '2012-01-23'", []],
    ["a nested object", "reviewers: { lead: ana }", []],
    ["a list that is not all text", "mixed: [a, 2]", []],
    ["an empty list or text", "empty: []\nblank: '  '", []],
    ["a URL", "url: https://example.com/postmortem", []],
    ["a UUID", "uuid: 1c6f32bc-10ed-463a-a52d-763121f74e30", []],
    ["a file path", "source: icco/postmortems/data/1c6f.md", []],
    ["identifiers inside a list", "links: [https://a.example, ci/cd]", ["Links: ci/cd"]],
  ])("reads an unknown field with %s", (_case, frontmatter, expected) => {
    expect(factsOf(frontmatter)).toEqual(expected);
  });

  it("bounds each field, each list, the number of unknown fields and the total", () => {
    const long = Array.from({ length: 400 }, (_, n) => `word${n}`).join(" ");
    const [summary] = documentFacts(parsed(`summary: ${long}`));
    expect(summary?.text.length).toBeLessThanOrEqual(600);
    expect(long.startsWith(summary?.text ?? "-")).toBe(true);
    expect(summary?.text.endsWith(" ")).toBe(false);

    const manyItems = `keywords: [${Array.from({ length: 50 }, (_, n) => `k${n}`).join(", ")}]`;
    expect(documentFacts(parsed(manyItems))[0]?.text.split(", ")).toHaveLength(24);

    const manyFields = Array.from({ length: 30 }, (_, n) => `field${n}: value ${n}`).join("\n");
    expect(documentFacts(parsed(manyFields))).toHaveLength(12);

    const wide = Array.from({ length: 12 }, (_, n) => `field${n}: ${long}`).join("\n");
    const facts = documentFacts(parsed(wide));
    const total = facts.reduce((sum, fact) => sum + fact.label.length + 2 + fact.text.length, 0);
    expect(total).toBeLessThanOrEqual(2000);
  });

  it("leaves out a key too long to be a field name", () => {
    expect(factsOf(`${"k".repeat(41)}: text`)).toEqual([]);
  });

  it("is empty for a document with no describing frontmatter", () => {
    expect(factsOf("title: Outage\nservices: [cart]\nseverity: sev2")).toEqual([]);
  });
});
