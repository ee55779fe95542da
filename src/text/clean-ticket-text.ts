/** Lines e-mail-to-ticket gateways prepend: `received from: jane@example.com`, mail headers. */
const headerLine = /^\s*(received from|from|to|cc|sent|date|subject)\s*:.*$/i;
/** Where a quoted earlier message starts: everything from here on repeats older text. */
const quoteStart =
  /^\s*(-{2,}\s*original message\s*-{2,}|_{5,}|on .{4,200} wrote:|from: .+ sent: .+)\s*$/i;
/** Where a signature starts: the `-- ` delimiter, mobile footers. */
const signatureStart = /^\s*(--\s*|sent from my \w+.*|get outlook for \w+.*)$/i;
/** A sign-off line (`Kind regards,`, `Thanks`) followed only by a short signature block. */
const signOff =
  /^\s*(best|kind|warm)?\s*(regards|thanks|thank you|thx|cheers|br|many thanks|rgds)[\s,.!]*$/i;
/** A confidentiality footer paragraph. */
const disclaimer = /^\s*(this|the information in this) e-?mail\b.*\b(confidential|intended)/i;

/**
 * The text of a ticket field without what e-mail bodies wrap around it:
 * gateway and header lines at the top, quoted earlier messages, signatures,
 * sign-offs with their name block, confidentiality footers. Whitespace is
 * tidied; the words of the problem itself are kept as written.
 */
export function cleanTicketText(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let start = 0;
  while (
    start < lines.length &&
    (headerLine.test(lines[start] ?? "") || lines[start]?.trim() === "")
  )
    start++;
  const kept: string[] = [];
  for (const line of lines.slice(start)) {
    if (quoteStart.test(line) || signatureStart.test(line) || disclaimer.test(line)) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line.replace(/[ \t]+$/, ""));
  }
  // A sign-off near the end takes the few short lines after it (name, title, phone) with it.
  for (let position = kept.length - 1; position >= Math.max(0, kept.length - 6); position--) {
    if (!signOff.test(kept[position] ?? "")) continue;
    const tail = kept.slice(position + 1).filter((line) => line.trim() !== "");
    if (tail.length <= 4 && tail.every((line) => line.trim().length <= 60)) {
      kept.length = position;
    }
    break;
  }
  return kept
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
