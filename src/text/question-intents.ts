/**
 * What an on-call question is after, read from its wording. Retrieval favours
 * the sections that serve it and the extractive answer leads with them.
 */
export interface QuestionIntents {
  /** "how do I…", "fix", "roll back": remediation steps wanted. */
  procedure: boolean;
  /** "why", "what does X mean", "check": diagnosis wanted. */
  diagnosis: boolean;
  /** "why", "what caused": a root cause wanted. */
  cause: boolean;
  /** "how do I verify it", "did it work": how to check a fix took. */
  verification: boolean;
  /** "has this happened before", "last time": past incidents wanted. */
  history: boolean;
  /** "roll back", "revert", "undo": a change is to be undone, so a Rollback section is the fix. */
  undo: boolean;
  /**
   * Something is to be fixed now: steps asked for, or nothing asked at all (a
   * pasted alert, error or log line, a problem stated), and not its history.
   * The sections that act (Remediation, Steps…) answer it, not those that
   * restate it (Symptoms, Verify).
   */
  acting: boolean;
}

/**
 * "fix" after a determiner ("push the fix", "their fix") names a change made, not a request to
 * fix, unless asked for ("what's the fix"); "what are my options" and "the safest way to…"
 * ask for a way out too.
 */
const fixWords =
  /\b(?:(?<!\b(?:the|a|an|this|that|their|our|its|his|her|your|my)\s+)fix(?:es|ed|ing)?|resolv\w*|remediat\w*|mitigat\w*|roll(?:ing|ed)?\s*back|rollback|revert\w*|restor\w*|recover\w*|undo|workaround|steps?|procedure|what\s+(?:do|should|can)\s+(?:i|we)\s+do|what\s+(?:now|next)|next\s+steps?|what(?:'s|\s+is)\s+the\s+fix|(?:what\s+are\s+(?:my|our|the)|any)\s+options|(?:best|safest|safe|quickest|fastest|easiest|simplest|cleanest|right|proper|correct|recommended|supported)\s+way\s+(?:to|of)|is\s+there\s+(?:a|any)\s+way)\b/;
/** Also asking where to look: "where do I start", "how do I tell if…". */
const diagnosisWords =
  /\b(?:why|mean|means|meaning|check(?:s|ed|ing)?|diagnos\w*|investigat\w*|troubleshoot\w*|symptoms?|verify|confirm|identify|find\s+out|figure\s+out|where\s+(?:do|should|can|would)\s+(?:i|we|you)\s+(?:start|begin|look)|tell\s+(?:if|whether|which)|how\s+(?:do|can|would|should)\s+(?:i|we|you)\s+(?:tell|know|see)\b)\b/;
const verificationWords =
  /\b(?:verif\w*|validat\w*|confirm\w*|make\s+sure|(?:it|that|this)\s+(?:worked|took)|(?:did|has)\s+(?:it|that|this)\s+work)\b/;
const undoWords =
  /\b(?:roll(?:ing|ed)?\s*back|rollbacks?|revert\w*|undo\w*|back(?:ing)?\s*out|downgrad\w*)\b/;
/** "why", "what caused", and the ways an outage's trigger is asked for: "what took it down", "what kicked it off". */
const causeWords =
  /\b(?:why|caus(?:e|es|ed|ing)|reasons?|culprits?|what\s+(?:triggered|started|kicked\s+(?:(?:it|this|that|everything)\s+)?off|set\s+(?:(?:it|this|that)\s+)?off|led\s+(?:up\s+)?to)|what\s+(?:took|brought|knocked)\b[^?.]{0,40}?\bdown|how\s+did\s+(?:it|this|that)\s+(?:happen|start))\b/;
const historyWords =
  /\b(?:happen\w*\s+(?:before|again|previously)|last\s+time|previously|previous\s+(?:incidents?|outages?)|in\s+the\s+past|incidents?|outages?|post-?mortems?|root\s+cause|seen\s+(?:this|it)|ever)\b|\b(?:has|have|did)\b[^?]*\bbefore\b/;

/** A question that names a point in the past ("end of July", "last week", "in 2016", a date) is about an event, not a procedure. */
const pastTimeWords =
  /\b(?:yesterday|(?:back\s+)?in\s+(?:19|20)\d{2}\b|last\s+(?:night|week(?:end)?|month|quarter|year|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|(?:in|of|since|during|early|mid|late|on)\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|\d{4}-\d{2}-\d{2})/;

/** Asking for steps in the present tense: a past time in such a question is its context. */
const asksWhatToDoNow =
  /\b(?:how\s+(?:do|can|should)\s+(?:i|we)|what\s+(?:do|should|can)\s+(?:i|we)\s+do)\b/;

/**
 * What marks a question as asked (English): a question mark, or a clause that opens as a
 * question does. Only at a clause's start: "it says another operation is in progress when I
 * hit sync" and "we can see 502s" state a problem. A wh-word followed by its subject opens a
 * statement ("when I hit sync, …", "what we see is …"), one followed by a verb a question
 * ("when did it start", "what changed"). "could not", "cannot" are an error's words.
 */
const askingClause =
  /^(?:how|why|(?:what|when|where|who|which|whose)\b(?!\s+(?:i|we|you|they|it|he|she|the|a|an|this|that|these|those|my|our|your|their|its|his|her|there)\b)|(?:can(?!not|'t)|could(?!\s+not|n't)|should|shall|would|will|is|are|do|does|did|any|anyone|anybody)\b)/;
/** Where a clause may open: the text's start, a sentence's end, a colon, semicolon, comma or dash. */
const clauseBoundary = /[.!;:,\n]|\s[-–—]+\s/;

function isAsked(lower: string): boolean {
  return (
    lower.includes("?") ||
    lower.split(clauseBoundary).some((clause) => askingClause.test(clause.trim()))
  );
}

/** "how" asks for a way, except "how long", "how many"… which ask for a figure, and "how did it happen", a cause. */
const askingHow =
  /\bhow\b(?!\s+(?:long|many|much|often|big|old|far|bad|likely)\b|\s+(?:did|could|does)\s+(?:it|this|that)\s+(?:happen|start|occur)\b)/;

export function detectIntents(question: string): QuestionIntents {
  const lower = question.toLowerCase();
  const diagnosis = diagnosisWords.test(lower);
  const procedure = fixWords.test(lower) || (askingHow.test(lower) && !diagnosis);
  // "After yesterday's deploy … how do I rebalance it?" asks what to do now; the time is context.
  const history =
    historyWords.test(lower) || (pastTimeWords.test(lower) && !asksWhatToDoNow.test(lower));
  const pasted = lower.trim() !== "" && !isAsked(lower) && !diagnosis;
  return {
    procedure,
    diagnosis,
    cause: causeWords.test(lower),
    verification: verificationWords.test(lower),
    history,
    undo: undoWords.test(lower),
    acting: (procedure || pasted) && !history,
  };
}
