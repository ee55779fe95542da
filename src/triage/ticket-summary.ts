import { stripLogNoise } from "../text/strip-log-noise.js";

const maximumLength = 160;

/**
 * One sentence saying what is wrong and where: the title when it says enough
 * (three words or more), else the description's first sentence; the service
 * added when the text does not name it. Extractive: the reporter's words.
 */
export function summarizeTicket(ticket: {
  title: string | null;
  description: string | null;
  service: string | null;
}): string {
  const title = tidy(ticket.title ?? "");
  const firstSentence = tidy((ticket.description ?? "").split(/(?<=[.!?])\s+|\n/)[0] ?? "");
  let sentence = title.split(/\s+/).length >= 3 || firstSentence === "" ? title : firstSentence;
  if (sentence === "") sentence = firstSentence || "Ticket without a description";
  sentence = cut(sentence.replace(/[.!?:;,\s]+$/, ""));
  const service = ticket.service?.trim();
  if (service && !sentence.toLowerCase().includes(service.toLowerCase()))
    sentence += ` (${service})`;
  const capitalised = `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
  return capitalised.endsWith("…") ? capitalised : `${capitalised}.`;
}

function tidy(text: string): string {
  return stripLogNoise(text.replace(/^\s*(?:re|fw|fwd|aw|tr)\s*:\s*/i, ""))
    .replace(/\s+/g, " ")
    .trim();
}

function cut(text: string): string {
  if (text.length <= maximumLength) return text;
  const cutText = text.slice(0, maximumLength);
  const space = cutText.lastIndexOf(" ");
  return `${space > maximumLength * 0.6 ? cutText.slice(0, space) : cutText}…`;
}
