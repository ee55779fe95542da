/**
 * Words that say nothing about what a question is about (English only):
 * function words, contractions, filler, what kind of answer is wanted
 * ("fix", "steps") and when something happened ("yesterday", "morning").
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have having " +
    "he her here how i if in into is it its just me my no not of on or our out over please should so some " +
    "such than that the their them then there these they this those to too up us very was we were what when " +
    "where which while who why will with would you your again anything any something thing things get got " +
    "going happen happened happening help need now still use used using way what's i'm it's we're can't " +
    "don't doesn't won't isn't also about after before all really keeps keep kept since " +
    // What kind of answer is wanted, not what it is about.
    "fix fixing fixed solve resolve steps step procedure issue issues problem problems " +
    // How people ask about the past or about others, not what they ask about.
    "ever seen someone anyone anybody somebody came took " +
    // When something happened says nothing about what it is.
    "yesterday today tonight tomorrow morning afternoon evening night week weekend month min mins minutes"
  ).split(" "),
);

/** Determiners after which a word names a thing: "the fix" was made, "fix it" asks for one. */
const determiners: ReadonlySet<string> = new Set(
  "the a an this that their our its his her your my".split(" "),
);
/** Filler words that name a thing after a determiner ("how did they push the fix?"). */
const nounAfterDeterminer: ReadonlySet<string> = new Set(["fix", "fixes"]);

/**
 * Whether `word` says nothing about what the question is about, given the word
 * before it: a stop word, except "fix" read as a noun ("the fix").
 */
export function isStopWordAfter(word: string, previous: string | undefined): boolean {
  if (!stopWords.has(word)) return false;
  return !(nounAfterDeterminer.has(word) && previous !== undefined && determiners.has(previous));
}
