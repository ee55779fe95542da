import type { AnswerEvent } from "../../contract/answer-event.js";
import type { DraftAudience } from "../../contract/draft-reply-request.js";
import type { SourceSummary } from "../../contract/source-summary.js";
import type { Embedder } from "../../embed/embedder.js";
import { KbError } from "../../errors.js";
import type { PastTicket } from "../../ingest/tickets/past-ticket.js";
import type { Logger } from "../../logger.js";
import { createPromptSource } from "../../prompts/prompt-source.js";
import { shippedPromptsDir } from "../../prompts/shipped-prompts-dir.js";
import type { RetrievalTuning } from "../../retrieval/retrieval-tuning.js";
import { createKbReader } from "../../store/kb-reader.js";
import { readTaxonomyFile } from "../../taxonomy/read-taxonomy.js";
import { draftReply } from "../../workflows/draft-reply.js";
import { createTriageModelCache } from "../../workflows/triage-model-cache.js";
import { asRequestTicket } from "../as-request-ticket.js";
import { durationPercentiles } from "../duration-percentiles.js";
import { splitHeldOut } from "../held-out-split.js";
import { withHistoryIndex } from "../with-history-index.js";
import { isCorrectSource } from "./correct-source.js";
import { createKeyActionReader, includesKeyAction } from "./key-action.js";

export interface AudienceReport {
  /** Drafts written: one per held-out ticket with a resolution. */
  n: number;
  /** Of the drafts whose ticket's resolution has a key action, the share that contain it. */
  keyAction: { n: number; share: number };
  /** Share of drafts citing at least one correct source. */
  correctSource: number;
  /** Share of drafts citing nothing. */
  noCitation: number;
  /** Milliseconds per draft, triage included: p50 and p95. */
  draftMs: { p50: number; p95: number };
}

/** The `--json` contract of `npm run eval:drafts`. */
export interface DraftEvalReport {
  /** Held-out tickets with a resolution (each drafted once per audience). */
  n: number;
  /** Held-out tickets without a resolution: nothing to compare a draft with. */
  skipped: number;
  train: number;
  seed: number;
  split: number;
  audiences: Record<DraftAudience, AudienceReport>;
}

export interface DraftEvalOptions {
  tickets: readonly PastTicket[];
  /** The KB folder whose documents (not its tickets) are indexed, and whose taxonomy is read. */
  kbDir: string;
  split: number;
  seed: number;
  threshold: number;
  embedder: Embedder;
  tuning: Partial<RetrievalTuning>;
  logger: Logger;
  /** Where the temporary index goes; removed afterwards. Default the system's temp folder. */
  workDir?: string | undefined;
}

const audiences: readonly DraftAudience[] = ["reporter", "resolver"];

/**
 * Shuffle with the seed, ingest the first part with the KB's documents into a temporary
 * index, then draft a reply offline to each held-out ticket that has a resolution, for
 * both audiences, exactly as `POST /v1/draft-reply` does (triaged afresh, no model), and
 * score each draft against the ticket's known resolution and labels.
 */
export async function runDraftEval(options: DraftEvalOptions): Promise<DraftEvalReport> {
  const { history, heldOut } = splitHeldOut(options.tickets, options);
  const resolved = heldOut.filter((ticket) => ticket.resolution?.trim());
  if (resolved.length === 0)
    throw new KbError(
      "invalid_request",
      `none of the ${heldOut.length} held-out tickets has a resolution to compare drafts with`,
    );
  const historyById = new Map(history.map((ticket) => [ticket.id, ticket]));
  const keyActionOf = createKeyActionReader(
    history.flatMap((ticket) => (ticket.resolution ? [ticket.resolution] : [])),
  );
  const taxonomy = readTaxonomyFile(options.kbDir);
  // No model drafts here, so the draft-reply prompt is never read: the shipped files do.
  const prompts = createPromptSource({
    shippedDir: shippedPromptsDir,
    logger: options.logger,
    watch: false,
  });
  return withHistoryIndex(
    {
      history,
      documentsDir: options.kbDir,
      embedder: options.embedder,
      logger: options.logger,
      workDir: options.workDir,
    },
    async (index) => {
      const deps = {
        reader: createKbReader(index, { embedder: options.embedder }),
        embedder: options.embedder,
        tuning: options.tuning,
        taxonomy: () => taxonomy,
        models: createTriageModelCache(),
        reviewThreshold: options.threshold,
        chat: undefined,
        prompts,
        logger: options.logger,
      };
      const tallies = new Map(audiences.map((audience) => [audience, newTally()]));
      for (const ticket of resolved) {
        const keyAction = keyActionOf(
          ticket.resolution ?? "",
          [ticket.title, ticket.description].join("\n"),
        );
        for (const audience of audiences) {
          const started = performance.now();
          const draft = await collectDraft(
            draftReply(
              deps,
              { ticket: asRequestTicket(ticket), audience },
              { requestId: `eval-${ticket.id}` },
            ),
          );
          const tally = tallies.get(audience) ?? newTally();
          tally.durations.push(performance.now() - started);
          if (keyAction.length > 0) {
            tally.withKeyAction += 1;
            if (includesKeyAction(draft.text, keyAction)) tally.keyActionIncluded += 1;
          }
          const cited = draft.sources.filter((source) => draft.citations.includes(source.n));
          if (cited.length === 0) tally.noCitation += 1;
          const correct = cited.some((source) =>
            isCorrectSource(source, ticket, {
              pastTicket: source.kind === "ticket" ? historyById.get(source.id) : undefined,
              keyAction,
            }),
          );
          if (correct) tally.correctSource += 1;
        }
      }
      const report = (audience: DraftAudience): AudienceReport => {
        const tally = tallies.get(audience) ?? newTally();
        return {
          n: resolved.length,
          keyAction: {
            n: tally.withKeyAction,
            share: share(tally.keyActionIncluded, tally.withKeyAction),
          },
          correctSource: share(tally.correctSource, resolved.length),
          noCitation: share(tally.noCitation, resolved.length),
          draftMs: durationPercentiles(tally.durations),
        };
      };
      return {
        n: resolved.length,
        skipped: heldOut.length - resolved.length,
        train: history.length,
        seed: options.seed,
        split: options.split,
        audiences: { reporter: report("reporter"), resolver: report("resolver") },
      };
    },
  ).finally(() => prompts.close());
}

function newTally() {
  return {
    withKeyAction: 0,
    keyActionIncluded: 0,
    correctSource: 0,
    noCitation: 0,
    durations: [] as number[],
  };
}

const share = (count: number, of: number) =>
  of === 0 ? 0 : Math.round((count / of) * 1000) / 1000;

/** A draft as a client receives it, joined; a failed draft fails the run, as it would a user. */
async function collectDraft(stream: AsyncGenerator<AnswerEvent>) {
  const draft = { sources: [] as SourceSummary[], text: "", citations: [] as number[] };
  for await (const event of stream) {
    if (event.type === "sources") draft.sources = event.sources;
    else if (event.type === "delta") draft.text += event.text;
    else if (event.type === "done") draft.citations = event.citations;
    else if (event.type === "error")
      throw new KbError("internal", `a draft failed: ${event.code}: ${event.message}`);
  }
  return draft;
}
