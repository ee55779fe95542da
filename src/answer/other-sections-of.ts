import { joinSectionText } from "../retrieval/join-section-text.js";
import type { Source } from "../retrieval/source.js";
import type { ChunkText } from "../store/index-rows.js";

/** Longest section text read, as retrieval widens a hit (characters). */
const maxSectionChars = 6000;

/**
 * The sections of the sources' documents that retrieval did not send, in
 * reading order: a fact the question needs is often in a sibling of the
 * section that matched (the Diagnosis beside the Remediation). Each carries
 * its document's best source number as `n`, so quoting it cites that
 * document, and its own first chunk's id, so a link can open it.
 */
export function otherSectionsOf(
  sources: readonly Source[],
  chunks: readonly ChunkText[],
): Source[] {
  const bestOf = new Map<string, Source>();
  const sent = new Set<string>();
  for (const source of sources) {
    if (!bestOf.has(source.path)) bestOf.set(source.path, source);
    sent.add(sectionKey(source.path, source.headingPath));
  }
  const ordered = [...chunks]
    .filter((chunk) => bestOf.has(chunk.docPath))
    .sort((left, right) =>
      left.docPath === right.docPath
        ? left.chunkIndex - right.chunkIndex
        : left.docPath < right.docPath
          ? -1
          : 1,
    );
  const others: Source[] = [];
  let run: ChunkText[] = [];
  const flush = (): void => {
    const [first] = run;
    const document = first && bestOf.get(first.docPath);
    if (first && document && !sent.has(sectionKey(first.docPath, first.headingPath))) {
      others.push({
        ...document,
        id: first.id,
        headingPath: first.headingPath,
        score: 0,
        text: joinSectionText(
          run.map((chunk) => chunk.text),
          maxSectionChars,
        ),
        position: first.chunkIndex,
      });
    }
    run = [];
  };
  for (const chunk of ordered) {
    const previous = run.at(-1);
    const continues =
      previous !== undefined &&
      previous.docPath === chunk.docPath &&
      previous.chunkIndex === chunk.chunkIndex - 1 &&
      sectionKey(previous.docPath, previous.headingPath) ===
        sectionKey(chunk.docPath, chunk.headingPath);
    if (!continues) flush();
    run.push(chunk);
  }
  flush();
  return others;
}

function sectionKey(path: string, headingPath: readonly string[]): string {
  return [path, ...headingPath].join("\u0000");
}
