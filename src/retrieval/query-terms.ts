/**
 * Content words for judging how well text covers a question: lowercased, stop
 * words and filler dropped, not yet stemmed (typo matching needs the word as
 * written; callers key them with termKey to match inflections).
 */
export function contentWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      // Contractions stay whole ("won't" is a stop word, not "won" and "t"); other apostrophes split.
      .split(/(?:[^\p{L}\p{N}'’]|['’](?!t\b))+/u)
      .map((word) => word.replace(/’/g, "'"))
      .filter((word) => word.length >= 2 && !stopWords.has(word))
  );
}

const stopWords = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have having " +
    "he her here how i if in into is it its just me my no not of on or our out over please should so some " +
    "such than that the their them then there these they this those to too up us very was we were what when " +
    "where which while who why will with would you your again anything any something thing things get got " +
    "going happen happened happening help need now still use used using way what's i'm it's we're can't " +
    "don't doesn't won't isn't also about after before all " +
    // When something happened says nothing about what it is.
    "yesterday today tonight tomorrow morning afternoon evening night week weekend month"
  ).split(" "),
);
