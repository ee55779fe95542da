import type { SearchDeps } from "../retrieval/search-kb.js";
import { aliasQuestions } from "./alias-questions.js";
import { collectAnswer } from "./collect-answer.js";
import type { OffTopicQuestion } from "./off-topic-question.js";
import { quotesFixFirst } from "./quotes-fix-first.js";

/** How the coverage call splits questions the KB answers from those it does not. */
export interface CoverageMatrix {
  in_kb_covered: number;
  in_kb_total: number;
  off_topic_not_covered: number;
  off_topic_total: number;
}

export interface CoverageReport {
  coverage: CoverageMatrix;
  /** "how do I fix <first alias>" of each runbook: answers that quote its acting section first. */
  fix_first: { hits: number; total: number };
  /** In-KB questions called not covered, off-topic ones called covered, and fix-first misses. */
  misses: { inKb: string[]; offTopic: string[]; fixFirst: string[] };
}

/**
 * The coverage set: every alias of the KB asked bare and as "how do I fix …"
 * (all covered, by construction) and the off-topic questions (none covered),
 * through the answer path at the server's default topK.
 */
export async function runCoverageEval(
  deps: SearchDeps,
  kbDir: string,
  offTopic: readonly OffTopicQuestion[],
  topK: number,
): Promise<CoverageReport> {
  const coverage: CoverageMatrix = {
    in_kb_covered: 0,
    in_kb_total: 0,
    off_topic_not_covered: 0,
    off_topic_total: offTopic.length,
  };
  const fixFirst = { hits: 0, total: 0 };
  const misses: CoverageReport["misses"] = { inKb: [], offTopic: [], fixFirst: [] };
  for (const asked of await aliasQuestions(kbDir)) {
    const answer = await collectAnswer(deps, { question: asked.question, topK });
    coverage.in_kb_total++;
    if (answer.coverage === "covered") coverage.in_kb_covered++;
    else misses.inKb.push(asked.question);
    if (asked.form !== "fix" || !asked.first) continue;
    fixFirst.total++;
    if (quotesFixFirst(answer, asked.gold, asked.alias)) fixFirst.hits++;
    else {
      const lead = answer.text.split("\n")[0] ?? "";
      misses.fixFirst.push(`${asked.question} → ${lead} (expected ${asked.gold})`);
    }
  }
  for (const question of offTopic) {
    const answer = await collectAnswer(deps, {
      question: question.question,
      topK,
      ...(question.ticket ? { ticket: question.ticket } : {}),
    });
    if (answer.coverage === "covered") misses.offTopic.push(askedWithTicket(question));
    else coverage.off_topic_not_covered++;
  }
  return { coverage, fix_first: fixFirst, misses };
}

/** The question as a miss report lists it: with its ticket's title when it has one. */
function askedWithTicket(question: OffTopicQuestion): string {
  const title = question.ticket?.title;
  return title ? `${question.question} (ticket: ${title})` : question.question;
}
