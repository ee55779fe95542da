/**
 * Words that say nothing about what a question is about (English only):
 * function words, contractions, filler, what kind of answer is wanted
 * ("fix", "steps") and when something happened ("yesterday", "morning").
 */
export const stopWords: ReadonlySet<string> = new Set(
  (
    "a an and are as at be been being but by can could did do does doing done for from had has have having " +
    "he her here how i if in into is it its just me my no not of on or our out over please should so some am " +
    "such than that the their them then there these they this those to too up us very was we were what when " +
    "where which while who why will with would you your again anything any something thing things get got " +
    "going happen happened happening help need now still use used using way what's i'm it's we're can't " +
    "don't doesn't won't isn't also about after before all really keeps keep kept since " +
    // Contractions, also as typed in a hurry without the apostrophe ("arent", "dont").
    "aren't wasn't weren't didn't haven't hasn't hadn't couldn't wouldn't shouldn't i've i'll i'd you're " +
    "they're that's there's here's let's we've we'll " +
    "arent dont doesnt isnt wasnt werent didnt havent hasnt hadnt couldnt wouldnt shouldnt cant wont " +
    "im ive youre theyre thats theres whats lets weve " +
    // What kind of answer is wanted, not what it is about.
    "fix fixing fixed solve resolve steps step procedure issue issues problem problems " +
    // How people ask (about the past, about others, what a tool says), not what they ask about.
    "ever seen someone anyone anybody somebody came took went says said meant ago figure " +
    "come comes coming seem seems seemed look looks looked ages forever anymore basically actually suddenly " +
    // What the asker is told or expects, not what it is about: "what am I supposed to do",
    // "the suggested mitigations", "the proper way", "I'm fairly sure", "I want to know".
    "supposed suggested recommended proper options fairly sure reckon guess want wants wanted know " +
    // Intensifiers: "right after", "brand new", "completely stuck" say how much, not what.
    "right brand totally completely literally pretty quite super " +
    // How or how surely it happened, not what: "accidentally deleted", "point it straight at".
    "accidentally mistakenly inadvertently straight directly simply properly correctly exactly " +
    "somehow apparently probably maybe perhaps definitely certainly obviously " +
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

/**
 * Common English words that full-text indexes drop as stop words (LanceDB's
 * among them: it counts no chunk for "down", "further" or "mostly"). Counted
 * nowhere, they would read as words the KB never mentions, the rarest of all.
 */
export const indexStopWords: ReadonlySet<string> = new Set(
  (
    "a about above across after afterwards again against all almost alone along already also although always am among " +
    "amongst an and another any anyhow anyone anything anyway anywhere are around as at back be became because become " +
    "becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot " +
    "could did do does doing done down due during each eg eight either eleven else elsewhere enough etc even ever every " +
    "everyone everything everywhere except few fifteen fifty for former formerly forty four from further had has have " +
    "having he hence her here hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if " +
    "in indeed into is it its itself just last latter latterly least less many may me meanwhile might mill mine more " +
    "moreover most mostly much must my myself namely neither never nevertheless next nine no nobody none noone nor not " +
    "nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own " +
    "per perhaps rather same seem seemed seeming seems several she should since six sixty so some somehow someone " +
    "something sometime sometimes somewhere still such than that the their theirs them themselves then thence there " +
    "thereafter thereby therefore therein thereupon these they third this those though three through throughout thru " +
    "thus to together too toward towards twelve twenty two under until up upon us very via was we well were what " +
    "whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while " +
    "whither who whoever whole whom whose why will with within without would yet you your yours yourself yourselves"
  ).split(" "),
);
