import type { Ticket, TicketComment } from "../contract/ticket.js";

/**
 * Tokens estimated as characters / 4: close for English prose with the GPT and
 * Llama tokenizers, generous for logs (which tokenize worse, so a budget is
 * rarely overrun by much). No tokenizer library: the server talks to any
 * model family, and the estimate only has to keep a prompt inside its window.
 */
export const charactersPerToken = 4;
export const estimateTokens = (text: string): number => Math.ceil(text.length / charactersPerToken);

/** Lines of a thread or an attachment that carry an error: kept when the rest is cut. A bare 4xx/5xx number is not enough (request 404 of a loop is no error). */
const errorLine =
  /\b(?:error|err|exception|fatal|fail(?:ed|ure)?|panic|timeout|timed out|refused|denied|unauthori[sz]ed|forbidden|oom|killed|no space|traceback)\b|\b(?:HTTP\/[\d.]+|status|code)[\s=:"]*[45]\d\d\b/i;
/** A single comment never takes more than this of the thread. Characters. */
const maxCommentChars = 2_000;
/** Error lines kept from what was cut, at most. */
const maxErrorLines = 40;

export interface FittedThread {
  /** The conversation as the prompt shows it, oldest kept first; "" when there is none. */
  text: string;
  /** What was left out, said in the prompt too; null when everything fitted. */
  omitted: { comments: number; attachments: number; errorLinesKept: number } | null;
}

/**
 * A ticket's conversation and attachments within `budgetTokens`: the newest
 * comments whole (newest first until the budget is spent), then, from the
 * older comments and the attachments that did not fit, the lines that carry an
 * error; then a line saying what was left out. The first description stays in
 * the ticket itself. `audience: "reporter"` leaves internal notes out entirely.
 */
export function fitTicketThread(
  ticket: Pick<Ticket, "comments" | "attachments">,
  budgetTokens: number,
  audience: "internal" | "reporter" = "internal",
): FittedThread {
  const comments = (ticket.comments ?? []).filter(
    (comment) => audience === "internal" || !comment.internal,
  );
  const attachments = ticket.attachments ?? [];
  if (comments.length === 0 && attachments.length === 0) return { text: "", omitted: null };
  if (budgetTokens * charactersPerToken <= 200) {
    // No room at all: only say that the thread was left out.
    const text = `[Left out to fit: the whole thread (${comments.length} comments, ${attachments.length} attachments).]`;
    return {
      text,
      omitted: { comments: comments.length, attachments: attachments.length, errorLinesKept: 0 },
    };
  }
  // The note of what was left out, the error lines' heading and the blank lines between parts.
  const reserved = 200;
  let budget = budgetTokens * charactersPerToken - reserved;
  const kept: { position: number; text: string }[] = [];
  // The newest comments take at most three quarters: what is cut still gets its error lines in.
  const commentFloor = budget / 4;
  let next = comments.length - 1;
  for (; next >= 0; next--) {
    const rendered = renderComment(comments[next] as TicketComment);
    if (rendered.length + 2 > budget - commentFloor) break;
    kept.push({ position: next, text: rendered });
    budget -= rendered.length + 2;
  }
  const cutComments = comments.slice(0, next + 1);
  const attachmentTexts: string[] = [];
  let cutAttachments = 0;
  for (const attachment of attachments) {
    const rendered = `Attachment${attachment.name ? ` ${attachment.name}` : ""}:\n${attachment.text}`;
    if (rendered.length <= budget - 200) {
      attachmentTexts.push(rendered);
      budget -= rendered.length + 1;
    } else cutAttachments++;
  }
  // What did not fit still speaks through its error lines, newest first.
  const errorLines: string[] = [];
  const cutTexts = [
    ...attachments
      .filter((attachment) => !attachmentTexts.some((text) => text.endsWith(attachment.text)))
      .map((attachment) => attachment.text),
    ...cutComments.map((comment) => comment.text).reverse(),
  ];
  for (const text of cutTexts) {
    for (const line of text.split("\n")) {
      const trimmed = line.trim().slice(0, 300);
      if (!errorLine.test(trimmed) || errorLines.includes(trimmed)) continue;
      if (errorLines.length >= maxErrorLines || trimmed.length + 1 > budget) break;
      errorLines.push(trimmed);
      budget -= trimmed.length + 1;
    }
  }
  const omitted =
    cutComments.length > 0 || cutAttachments > 0
      ? {
          comments: cutComments.length,
          attachments: cutAttachments,
          errorLinesKept: errorLines.length,
        }
      : null;
  const parts = [
    ...(omitted
      ? [
          `[Left out to fit: ${omitted.comments} older comment${omitted.comments === 1 ? "" : "s"}${omitted.attachments > 0 ? ` and ${omitted.attachments} attachment${omitted.attachments === 1 ? "" : "s"}` : ""}; ${errorLines.length} error line${errorLines.length === 1 ? "" : "s"} from them kept below.]`,
        ]
      : []),
    ...(errorLines.length > 0
      ? [`Error lines from what was left out:\n${errorLines.join("\n")}`]
      : []),
    ...attachmentTexts,
    ...kept.reverse().map((item) => item.text),
  ];
  return { text: parts.join("\n\n"), omitted };
}

function renderComment(comment: TicketComment): string {
  const who = [comment.at, comment.author, comment.internal ? "(internal note)" : null]
    .filter(Boolean)
    .join(" ");
  const text =
    comment.text.length > maxCommentChars
      ? `${comment.text.slice(0, maxCommentChars)}…`
      : comment.text;
  return `${who ? `${who}: ` : ""}${text}`;
}
