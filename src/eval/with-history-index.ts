import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import type { Embedder } from "../embed/embedder.js";
import { runIngest } from "../ingest/run-ingest.js";
import type { PastTicket } from "../ingest/tickets/past-ticket.js";
import type { Logger } from "../logger.js";
import { type KbIndex, openKbIndex } from "../store/kb-index.js";

export interface HistoryIndexOptions {
  /** Written as the KB's only ticket export. */
  history: readonly PastTicket[];
  /** A KB folder whose documents are indexed too (its own `tickets/` left out); none: tickets only. */
  documentsDir?: string | undefined;
  embedder: Embedder;
  logger: Logger;
  /** Where the temporary KB and index go; removed afterwards. Default the system's temp folder. */
  workDir?: string | undefined;
}

/**
 * Ingest `history` (and a KB's documents) into a temporary index exactly as `npm run
 * ingest` does, training the triage model; hand the index to `use`, then remove it all.
 */
export async function withHistoryIndex<T>(
  options: HistoryIndexOptions,
  use: (index: KbIndex) => Promise<T>,
): Promise<T> {
  const root = await mkdtemp(join(options.workDir ?? tmpdir(), "kb-answers-eval-"));
  try {
    const kbDir = join(root, "kb");
    const { documentsDir } = options;
    if (documentsDir) {
      // The KB's own history would leak the held-out tickets into the index.
      await cp(documentsDir, kbDir, {
        recursive: true,
        filter: (path) => {
          const inside = relative(documentsDir, path);
          if (inside === "") return true;
          return inside.split(sep)[0] !== "tickets" && !basename(path).startsWith(".");
        },
      });
    }
    await mkdir(join(kbDir, "tickets"), { recursive: true });
    await writeFile(
      join(kbDir, "tickets", "history.jsonl"),
      options.history.map(toRecordLine).join(""),
    );
    const index = await openKbIndex(join(root, "db"));
    try {
      await runIngest({ kbDir, index, embedder: options.embedder, logger: options.logger });
      return await use(index);
    } finally {
      index.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A past ticket in the JSON Lines contract format. */
function toRecordLine(ticket: PastTicket): string {
  return `${JSON.stringify({
    id: ticket.id,
    title: ticket.title,
    description: ticket.description,
    category: ticket.category,
    priority: ticket.priority,
    team: ticket.team,
    service: ticket.service,
    resolution: ticket.resolution,
    opened_at: ticket.openedAt,
    resolved_at: ticket.resolvedAt,
  })}\n`;
}
