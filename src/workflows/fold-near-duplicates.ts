/** Case, punctuation and spacing do not make two texts differ. */
function normalized(text: string | null): string {
  return (text ?? "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Fold near-duplicates, best first: a ticket with the same title and the same
 * resolution (ignoring case, punctuation and spacing) as a better one is not
 * listed again; its id joins that one's `duplicates`. Recurring tickets the desk
 * closes with the same words otherwise fill every place.
 */
export function foldNearDuplicates<
  Ticket extends { id: string; title: string; resolution: string | null },
>(ranked: readonly Ticket[]): (Ticket & { duplicates: string[] })[] {
  const kept = new Map<string, Ticket & { duplicates: string[] }>();
  for (const ticket of ranked) {
    const key = `${normalized(ticket.title)}\u0000${normalized(ticket.resolution)}`;
    const first = kept.get(key);
    if (first) first.duplicates.push(ticket.id);
    else kept.set(key, { ...ticket, duplicates: [] });
  }
  return [...kept.values()];
}
