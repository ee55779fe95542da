import type { SelectedSteps } from "../answer/extractive-answer.js";
import type { DraftAudience } from "../contract/draft-reply-request.js";
import type { SimilarTicket } from "../contract/similar-response.js";
import type { Ticket } from "../contract/ticket.js";
import type { TriageLabel, TriageResponse } from "../contract/triage-response.js";
import type { Source } from "../retrieval/source.js";
import { labelKey } from "../taxonomy/label-key.js";
import type { PriorityLabel, Taxonomy } from "../taxonomy/taxonomy.js";
import { redactInternalDetail } from "../text/redact-internal-detail.js";

/** What a draft is written from; the sources are numbered as the stream announced them. */
export interface DraftMaterial {
  ticket: Ticket;
  triage: TriageResponse;
  taxonomy: Taxonomy | null;
  /** The past tickets used, each with the number it is cited by. */
  pastTickets: { n: number; ticket: SimilarTicket }[];
  /** The runbook sections used. */
  runbooks: Source[];
  /** Steps from the runbook's acting section, as the extractive answer selects them. */
  steps: SelectedSteps | undefined;
  /** What fixed the most similar past ticket: its resolution's most relevant sentences. */
  pastFix: SelectedSteps | undefined;
}

export interface OfflineDraft {
  /** Markdown, one paragraph per element. */
  paragraphs: string[];
  /** Source numbers cited, ascending. */
  citations: number[];
  /** Pieces the reporter pass removed (0 for a resolver note). */
  redacted: number;
}

/**
 * The template reply, no model involved. A reporter reply is built only from
 * fields safe to show (the ticket's own summary, the priority and its taxonomy
 * definition, runbook steps without their commands, the past fix's sentences)
 * and then redacted of host names, addresses and other tickets' numbers; a
 * resolver note may name past tickets, their labels and the commands.
 */
export function writeOfflineDraft(material: DraftMaterial, audience: DraftAudience): OfflineDraft {
  const cited = new Set<number>();
  const cite = (n: number) => {
    cited.add(n);
    return `[${n}]`;
  };
  const paragraphs =
    audience === "reporter"
      ? reporterParagraphs(material, cite)
      : resolverParagraphs(material, cite);
  const citations = [...cited].sort((left, right) => left - right);
  if (audience === "resolver") return { paragraphs, citations, redacted: 0 };
  // Whatever the template let through, the reporter never sees a host, an address or another ticket.
  const keep = material.ticket.id ? [material.ticket.id] : [];
  let redacted = 0;
  const clean = paragraphs.map((paragraph) => {
    const result = redactInternalDetail(paragraph, keep);
    redacted += result.removed;
    return result.text;
  });
  return { paragraphs: clean, citations, redacted };
}

type Cite = (n: number) => string;

function reporterParagraphs(material: DraftMaterial, cite: Cite): string[] {
  const { ticket, triage } = material;
  const paragraphs = ["_Draft reply: check and edit before sending._", "Hello,"];
  paragraphs.push(`Thank you for your report: ${lowerFirst(triage.summary)}`);
  const priority = priorityLine(triage.priority, material.taxonomy, "reporter");
  if (priority) paragraphs.push(priority);
  const steps = material.steps;
  if (steps && steps.steps.length > 0) {
    const list = steps.steps.map(
      (step, index) => `${index + 1}. ${stripTrailingColon(step.text)} ${cite(steps.n)}`,
    );
    paragraphs.push(`What we will do next:\n\n${list.join("\n")}`);
  }
  const fix = material.pastFix;
  if (fix && fix.steps.length > 0) {
    const sentences = fix.steps.map((step) => step.text).join(" ");
    paragraphs.push(
      `When this happened before, it was fixed this way: ${sentences} ${cite(fix.n)}`,
    );
  }
  const missing = missingDetails(ticket);
  if (missing.length > 0) {
    paragraphs.push(`To help us, could you tell us ${joinWords(missing)}?`);
  }
  paragraphs.push("We will keep you updated on this ticket.");
  return paragraphs;
}

function resolverParagraphs(material: DraftMaterial, cite: Cite): string[] {
  const { ticket, triage } = material;
  const paragraphs = ["_Draft work note: check before posting._"];
  const where = [
    ticket.id ? `ticket ${ticket.id}` : "",
    ticket.service && !triage.summary.includes(ticket.service) ? `service ${ticket.service}` : "",
  ].filter(Boolean);
  paragraphs.push(
    `**Problem:** ${triage.summary}${where.length > 0 ? ` (${where.join(", ")})` : ""}`,
  );
  const priority = priorityLine(triage.priority, material.taxonomy, "resolver");
  if (priority) {
    const similar = material.pastTickets
      .filter(({ ticket: past }) => past.labels.priority)
      .map(({ n, ticket: past }) => `${past.id} (${past.labels.priority}) ${cite(n)}`);
    paragraphs.push(
      similar.length > 0 ? `${priority} Similar tickets: ${similar.join(", ")}.` : priority,
    );
  }
  if (triage.team) {
    paragraphs.push(`**Team:** ${triage.team.label} (${triage.team.reason}).`);
  }
  const steps = material.steps;
  if (steps && steps.steps.length > 0) {
    const runbook = material.runbooks.find((source) => source.n === steps.n);
    const name = runbook ? [runbook.title, ...runbook.headingPath].join(" › ") : "the runbook";
    const list = steps.steps.map((step, index) => {
      const code = step.code.map((block) => `\n\n${indent(block)}`).join("");
      return `${index + 1}. ${step.text}${code}`;
    });
    paragraphs.push(`**Next steps** from *${name}* ${cite(steps.n)}:\n\n${list.join("\n")}`);
  }
  const fix = material.pastFix;
  const fixed = material.pastTickets.find(({ n }) => n === fix?.n);
  if (fix && fixed && fix.steps.length > 0) {
    const sentences = fix.steps.map((step) => step.text).join(" ");
    paragraphs.push(
      `**Last fixed** in ${fixed.ticket.id} "${fixed.ticket.title}" ${cite(fix.n)}: ${sentences}`,
    );
  }
  return paragraphs;
}

/**
 * The priority and why. The reporter gets the taxonomy's definition and, for a keyword
 * rule, the words of their own report; the resolver also gets triage's reason and confidence.
 */
function priorityLine(
  label: TriageLabel | null,
  taxonomy: Taxonomy | null,
  audience: DraftAudience,
): string | undefined {
  if (!label) return undefined;
  const definition = findPriority(taxonomy, label.label);
  const meaning = [definition?.description, definition?.impact]
    .filter((part): part is string => Boolean(part))
    .map((part) => part.replace(/\.$/, ""))
    .join(": ");
  if (audience === "resolver") {
    const rule = meaning ? ` Taxonomy: ${meaning}.` : "";
    return `**Priority:** ${label.label}, confidence ${label.confidence}: ${label.reason}.${rule}`;
  }
  const keyword = /rates "([^"]+)"/.exec(label.reason)?.[1];
  const why = keyword
    ? ` because your report says "${keyword}"`
    : /similar past tickets/.test(label.reason)
      ? ", the priority similar reports were given"
      : "";
  const means = meaning ? ` (${meaning})` : "";
  return `We have given it priority **${label.label}**${means}${why}.`;
}

function findPriority(taxonomy: Taxonomy | null, name: string): PriorityLabel | undefined {
  const key = labelKey(name);
  return taxonomy?.priorities.find((priority) => labelKey(priority.name) === key);
}

/** What the reporter is asked for: only what the ticket does not already give. */
function missingDetails(ticket: Ticket): string[] {
  const missing: string[] = [];
  if (!ticket.service) missing.push("which service, site or system is affected");
  const text = `${ticket.title ?? ""} ${ticket.description ?? ""}`;
  const hasError =
    Boolean(ticket.logs) ||
    /error|exception|fail|denied|timeout|timed out|\b[45]\d\d\b/i.test(text);
  if (!hasError) missing.push("the exact error message you see, if any");
  return missing;
}

function joinWords(parts: readonly string[]): string {
  return parts.length <= 1
    ? (parts[0] ?? "")
    : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** "Orders-db replication lag." reads on after a colon as "orders-db replication lag."; "SAP" stays. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}

function stripTrailingColon(text: string): string {
  return text.replace(/:\s*$/, ".");
}

function indent(block: string): string {
  return block
    .split("\n")
    .map((line) => `   ${line}`)
    .join("\n");
}
