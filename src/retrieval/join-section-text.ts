/**
 * Join the pieces of one section back together. Consecutive pieces repeat a
 * little text (the chunker's overlap); the repeat is dropped so that steps
 * read once. Bounded by `maxChars`, cutting only between pieces.
 */
export function joinSectionText(pieces: readonly string[], maxChars: number): string {
  let joined = pieces[0] ?? "";
  for (const piece of pieces.slice(1)) {
    const next = piece.slice(sharedOverlap(joined, piece));
    // After a dropped overlap the piece starts with its own separator; otherwise start a new block.
    const separator = /^\s/.test(next) ? "" : "\n\n";
    if (joined.length + separator.length + next.length > maxChars) break;
    joined += separator + next;
  }
  return joined;
}

/** Length of the longest suffix of `before` that starts `after` (12 to 600 characters; shorter matches are chance). */
function sharedOverlap(before: string, after: string): number {
  const longest = Math.min(600, before.length, after.length);
  for (let length = longest; length >= 12; length--) {
    if (before.endsWith(after.slice(0, length))) return length;
  }
  return 0;
}
