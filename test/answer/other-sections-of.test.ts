import { describe, expect, it } from "vitest";
import { otherSectionsOf } from "../../src/answer/other-sections-of.js";
import type { Source } from "../../src/retrieval/source.js";

const sent: Source = {
  n: 2,
  id: "c2",
  path: "runbooks/a.md",
  title: "A",
  headingPath: ["Remediation"],
  kind: "runbook",
  services: ["cart"],
  score: 1,
  text: "Restart it.",
  position: 1,
};
const chunk = (
  chunkIndex: number,
  headingPath: string[],
  text: string,
  docPath = "runbooks/a.md",
) => ({
  id: `c${chunkIndex}-${docPath}`,
  docPath,
  chunkIndex,
  headingPath,
  text,
});

describe("otherSectionsOf", () => {
  it("gives the sections of the sources' documents not sent, joined, in reading order, numbered as their document, each with its place in it", () => {
    const others = otherSectionsOf(
      [sent],
      [
        chunk(3, ["Diagnosis"], "Second part of the diagnosis."),
        chunk(0, ["Symptoms"], "Pods restart."),
        chunk(1, ["Remediation"], "Restart it."),
        chunk(2, ["Diagnosis"], "First part."),
        chunk(0, ["Symptoms"], "Another document.", "runbooks/b.md"),
      ],
    );
    expect(
      others.map((other) => [other.headingPath, other.text, other.n, other.id, other.position]),
    ).toEqual([
      [["Symptoms"], "Pods restart.", 2, "c0-runbooks/a.md", 0],
      [["Diagnosis"], "First part.\n\nSecond part of the diagnosis.", 2, "c2-runbooks/a.md", 2],
    ]);
    expect(others[0]).toMatchObject({ title: "A", kind: "runbook", services: ["cart"] });
  });
});
