import { z } from "zod";
import { cleanTicketText } from "../../text/clean-ticket-text.js";
import type { PastTicket } from "./past-ticket.js";
import { type ReadDateOptions, readTicketDate } from "./read-ticket-date.js";

/** The contract's keys, in the order the README lists them. */
export const ticketRecordKeys = [
  "id",
  "title",
  "description",
  "category",
  "priority",
  "team",
  "service",
  "resolution",
  "opened_at",
  "resolved_at",
] as const;
export type TicketRecordKey = (typeof ticketRecordKeys)[number];

/** Text cut at a word near `max` characters: an oversized e-mail body is kept, not refused. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** Missing, null and blank are all "not given". */
const optionalText = (max: number) =>
  z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((value) => {
      const text = value === null || value === undefined ? "" : String(value).trim();
      return text === "" ? null : cutAt(text, max);
    });

const optionalDate = (options: ReadDateOptions) =>
  z
    .union([z.string(), z.null()])
    .optional()
    .transform((value, context) => {
      if (value === null || value === undefined || value.trim() === "") return null;
      const date = readTicketDate(value, options);
      if (date === undefined) {
        context.addIssue({
          code: "custom",
          message: `${JSON.stringify(value.slice(0, 40))} is not a date (write ISO 8601, such as 2026-03-14T14:05:00Z)`,
        });
        return z.NEVER;
      }
      return date;
    });

/**
 * One ticket in the contract format, the JSON Lines keys; a CSV row mapped to
 * the same keys is checked by the same schema. Only `id` and one of `title`
 * and `description` are required; unknown keys are ignored.
 */
export function ticketRecordSchema(options: ReadDateOptions = {}) {
  return z
    .object({
      id: z
        .union([z.string(), z.number()], { error: "is required (text or a number)" })
        .transform((value) => String(value).trim())
        .pipe(z.string().min(1, "is required").max(200, "must be at most 200 characters")),
      title: optionalText(500),
      description: optionalText(20_000),
      category: optionalText(200),
      priority: optionalText(100),
      team: optionalText(200),
      service: optionalText(200),
      resolution: optionalText(20_000),
      opened_at: optionalDate(options),
      resolved_at: optionalDate(options),
    })
    .refine((record) => record.title !== null || record.description !== null, {
      message: "needs a title or a description",
      path: ["title"],
    });
}
export type TicketRecord = z.output<ReturnType<typeof ticketRecordSchema>>;

/** Outcome of checking one record: the ticket, or each problem named (`opened_at: …`). */
export type RecordOutcome =
  | { ok: true; ticket: PastTicket }
  | { ok: false; reason: string; id?: string };

export function readTicketRecord(
  schema: ReturnType<typeof ticketRecordSchema>,
  input: unknown,
): RecordOutcome {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`)
      .join("; ");
    const id = idOf(input);
    return id === undefined ? { ok: false, reason } : { ok: false, reason, id };
  }
  return { ok: true, ticket: toPastTicket(parsed.data) };
}

/** The id of a row that failed, so that its stored version is kept. */
function idOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null || !("id" in input)) return undefined;
  const id = input.id;
  const text = typeof id === "string" || typeof id === "number" ? String(id).trim() : "";
  return text === "" || text.length > 200 ? undefined : text;
}

function toPastTicket(record: TicketRecord): PastTicket {
  const cleaned = (text: string | null) => {
    if (text === null) return null;
    const clean = cleanTicketText(text);
    return clean === "" ? null : clean;
  };
  const description = cleaned(record.description);
  return {
    id: record.id,
    title: record.title ?? titleFrom(description ?? record.description ?? record.id),
    description,
    category: record.category,
    priority: record.priority,
    team: record.team,
    service: record.service,
    resolution: cleaned(record.resolution),
    openedAt: record.opened_at,
    resolvedAt: record.resolved_at,
  };
}

/** A ticket without a title is shown by its description's first line. */
function titleFrom(description: string): string {
  const firstLine = description.split("\n").find((line) => line.trim() !== "") ?? description;
  return cutAt(firstLine.trim(), 120);
}
