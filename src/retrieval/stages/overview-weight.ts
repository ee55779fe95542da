import type { ScoreStage } from "./score-stage.js";

/** A folder's README or index page: `README.md`, `index.md`, `_index.md` (Hugo). */
const overviewPage = /(?:^|\/)(?:readme|index|_index)\.(?:md|markdown)$/i;

/**
 * Multiplier for chunks of overview pages. A folder's README summarises and
 * links every runbook in the folder, so it shares words with all of their
 * questions and outranks the one runbook that answers; weighed down, it still
 * answers when nothing more specific matches.
 */
export const overviewWeight: ScoreStage = (candidate, { tuning }) =>
  overviewPage.test(candidate.docPath) ? tuning.overviewPageWeight : 1;
