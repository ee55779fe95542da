/**
 * Content words for judging how well text covers a question: lowercased,
 * stop words and filler dropped, lightly stemmed so that "restarting" and
 * "restarts" meet "restart".
 */
export function contentTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || stopWords.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

export function stem(word: string): string {
  for (const suffix of ["ingly", "ing", "edly", "ed", "ies", "es", "s", "ly"]) {
    if (word.length - suffix.length >= 3 && word.endsWith(suffix)) {
      const base = word.slice(0, -suffix.length);
      return suffix === "ies" ? `${base}y` : base;
    }
  }
  return word;
}

const stopWords = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have having " +
    "he her here how i if in into is it its just me my no not of on or our out over please should so some " +
    "such than that the their them then there these they this those to too up us very was we were what when " +
    "where which while who why will with would you your again anything any something thing things get got " +
    "going happen happened happening help need now still use used using way what's i'm it's we're can't " +
    "don't doesn't won't isn't also about after before all"
  ).split(" "),
);
