import type { Coverage } from "../contract/coverage.js";
import type { Source } from "../retrieval/source.js";

/** What to say when retrieval found nothing that answers: the nearest sections, named as such. */
export function notCoveredAnswer(
  coverage: Exclude<Coverage, "covered">,
  sources: readonly Source[],
): string {
  if (coverage === "none" || sources.length === 0) {
    return "The knowledge base does not seem to cover this: no runbook or incident writeup matched.";
  }
  const nearest = sources
    .slice(0, 3)
    .map(
      (source) =>
        `- ${[source.title, ...source.headingPath].join(" › ")} (\`${source.path}\`) [${source.n}]`,
    );
  return [
    "The knowledge base does not seem to cover this. These are the nearest sections, which may not answer it:",
    "",
    ...nearest,
  ].join("\n");
}
