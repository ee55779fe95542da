import { describe, expect, it } from "vitest";
import { chunkDocument } from "../../src/ingest/chunk-document.js";
import type { KbDocument } from "../../src/ingest/kb-document.js";

function kbDocument(body: string, overrides: Partial<KbDocument> = {}): KbDocument {
  return {
    path: "runbooks/example.md",
    contentHash: "hash",
    title: "Example runbook",
    kind: "runbook",
    services: [],
    tags: [],
    aliases: [],
    severity: null,
    owner: null,
    updated: null,
    date: null,
    impact: null,
    rootCause: null,
    resolution: null,
    runbooks: [],
    extra: {},
    body,
    ...overrides,
  };
}

const fence = "```";

describe("chunkDocument", () => {
  it("splits at headings and keeps the heading path as a breadcrumb", () => {
    const chunks = chunkDocument(
      kbDocument(
        "# Example runbook\n\nIntro.\n\n## Diagnosis\n\n### Check the logs\n\nLook at logs.\n\n### Check the pods\n\nLook at pods.\n\n## Remediation\n\nFix it.",
      ),
    );
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([
      [],
      ["Diagnosis", "Check the logs"],
      ["Diagnosis", "Check the pods"],
      ["Remediation"],
    ]);
    expect(chunks[1]?.searchText.split("\n")[0]).toBe(
      "Example runbook > Diagnosis > Check the logs",
    );
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3]);
  });

  it("does not mistake # lines inside a code fence for headings", () => {
    const body = `## Diagnosis\n\n${fence}bash\n# list the pods\nkubectl get pods\n## not a heading\n${fence}\n\nAfter.`;
    const chunks = chunkDocument(kbDocument(body));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.headingPath).toEqual(["Diagnosis"]);
    expect(chunks[0]?.text).toContain("# list the pods\nkubectl get pods\n## not a heading");
  });

  it.each([
    [
      "a code block",
      `${fence}sh\n${Array.from({ length: 120 }, (_, n) => `echo step-${n} # keep`).join("\n")}\n${fence}`,
    ],
    [
      "a table",
      `| alert | threshold |\n|---|---|\n${Array.from({ length: 80 }, (_, n) => `| Alert${n} | ${n}% of capacity |`).join("\n")}`,
    ],
  ])("never cuts %s in half, even when it is longer than a chunk", (_name, block) => {
    const body = `## Section\n\n${"Some prose before the block. ".repeat(30)}\n\n${block}\n\n${"Prose after the block. ".repeat(30)}`;
    const chunks = chunkDocument(kbDocument(body), { targetChars: 500 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.filter((chunk) => chunk.text.includes(block))).toHaveLength(1);
  });

  it("splits a long section at sentence boundaries with a small overlap", () => {
    const sentences = Array.from(
      { length: 40 },
      (_, n) => `Sentence number ${n} explains one more detail.`,
    );
    const chunks = chunkDocument(kbDocument(`## Long\n\n${sentences.join(" ")}`), {
      targetChars: 300,
      overlapChars: 100,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300 + 60);
      expect(chunk.text).toMatch(/^Sentence number \d+/);
      expect(chunk.text).toMatch(/detail\.$/);
    }
    const lastOfFirst = chunks[0]?.text.split(". ").at(-1);
    expect(chunks[1]?.text.startsWith(lastOfFirst ?? "missing")).toBe(true);
    const everything = chunks.map((chunk) => chunk.text).join(" ");
    for (const sentence of sentences) expect(everything).toContain(sentence);
  });

  it("splits long numbered lists between items, never inside one", () => {
    const items = Array.from(
      { length: 30 },
      (_, n) => `${n + 1}. Run \`step ${n + 1}\` and confirm the pod is Ready.`,
    );
    const chunks = chunkDocument(kbDocument(`## Remediation\n\n${items.join("\n")}`), {
      targetChars: 400,
    });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      for (const line of chunk.text.split("\n")) expect(items).toContain(line);
    }
  });

  it("gives the same ids to the same content and changes only the ids of edited sections", () => {
    const before = chunkDocument(kbDocument("## A\n\nAlpha.\n\n## B\n\nBeta."));
    const again = chunkDocument(kbDocument("## A\n\nAlpha.\n\n## B\n\nBeta."));
    const edited = chunkDocument(kbDocument("## A\n\nAlpha.\n\n## B\n\nBeta, edited."));
    expect(again.map((chunk) => chunk.id)).toEqual(before.map((chunk) => chunk.id));
    expect(edited[0]?.id).toBe(before[0]?.id);
    expect(edited[1]?.id).not.toBe(before[1]?.id);
    expect(new Set(before.map((chunk) => chunk.id)).size).toBe(before.length);
  });

  it("keeps ids unique when two sections repeat the same text", () => {
    const chunks = chunkDocument(kbDocument("## A\n\nSame.\n\n## A\n\nSame."));
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(2);
  });

  it("puts title, breadcrumb, aliases and services in the text that is embedded", () => {
    const [chunk] = chunkDocument(
      kbDocument("## Symptoms\n\nPods restart.", {
        aliases: ["KubePodCrashLooping"],
        services: ["checkout-api"],
      }),
    );
    expect(chunk?.searchText).toBe(
      "Example runbook > Symptoms\nAliases: KubePodCrashLooping\nServices: checkout-api\n\nPods restart.",
    );
    expect(chunk?.text).toBe("Pods restart.");
  });

  it("searches the describing frontmatter with the first chunk only, and shows none of it", () => {
    const chunks = chunkDocument(
      kbDocument("## Summary\n\nCheckout failed.\n\n## Timeline\n\n10:00 paged.", {
        kind: "incident",
        rootCause: "readiness probe called a dependency",
        tags: ["kubernetes"],
        extra: { company: "Larkspur", url: "https://example.com/pm" },
      }),
    );
    expect(chunks[0]?.searchText).toBe(
      "Example runbook > Summary\nRoot cause: readiness probe called a dependency\nTags: kubernetes\nCompany: Larkspur\n\nCheckout failed.",
    );
    expect(chunks[0]?.text).toBe("Checkout failed.");
    expect(chunks[1]?.searchText).toBe("Example runbook > Timeline\n\n10:00 paged.");
  });

  it("keeps chunk ids when only the frontmatter changes", () => {
    const body = "## Summary\n\nCheckout failed.";
    const before = chunkDocument(kbDocument(body, { rootCause: "a bad probe" }));
    const after = chunkDocument(kbDocument(body, { rootCause: "a slow dependency" }));
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(after[0]?.searchText).not.toBe(before[0]?.searchText);
  });

  it("treats a leading H1 as the title but later H1s as sections", () => {
    const chunks = chunkDocument(kbDocument("# Title\n\nIntro.\n\n# Appendix\n\nMore."));
    expect(chunks.map((chunk) => chunk.headingPath)).toEqual([[], ["Appendix"]]);
  });

  it("returns no chunks for a document of headings only", () => {
    expect(chunkDocument(kbDocument("# Title\n\n## Empty\n\n---\n"))).toEqual([]);
  });
});
