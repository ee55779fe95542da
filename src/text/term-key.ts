/**
 * Derivational endings dropped after inflections, so `deployment` meets `deploy`,
 * `failure` meets `fail` and `rotation` meets `rotate`. Tried in order, first match only.
 */
const derivationalSuffixes = ["ment", "ion", "ure", "ity", "er", "or"];
/** Shortest stem a suffix may leave: `region` keeps its `ion`, `order` its `er`. */
const minimumStem = 4;

/**
 * A light stemmer for matching question words against KB text: `restarting`,
 * `restarts` and `restarted` all become `restart`. Not a linguistic stem, only
 * a key that inflected and derived forms of one word share. Expects lowercase.
 */
export function termKey(word: string): string {
  if (word.length <= 3) return word;
  let key = word;

  if (key.endsWith("ies") && key.length > 4) key = `${key.slice(0, -3)}y`;
  else if (key.endsWith("s") && !/(?:ss|us|is)$/.test(key)) key = key.slice(0, -1);

  let strippedVerbEnding = false;
  if (key.endsWith("ing") && key.length > 5) {
    key = key.slice(0, -3);
    strippedVerbEnding = true;
  } else if (key.endsWith("ed") && key.length > 4) {
    key = key.slice(0, -2);
    strippedVerbEnding = true;
  }
  // `stopped` and `running` double their consonant; `rolled` and `passed` keep theirs.
  if (strippedVerbEnding && /([^aeioulsz])\1$/.test(key)) key = key.slice(0, -1);
  // `panicked` and `mimicking` add a k to a verb ending in -ic.
  if (strippedVerbEnding && /[^aeiou]ick$/.test(key) && key.length > 5) key = key.slice(0, -1);

  for (const suffix of derivationalSuffixes) {
    if (key.endsWith(suffix) && key.length - suffix.length >= minimumStem) {
      key = key.slice(0, -suffix.length);
      break;
    }
  }
  if (key.endsWith("e") && key.length > 3) key = key.slice(0, -1);
  // `migrat(e)` and `migrat(ion)` both end here; `rotat` and `updat` are too short to cut.
  if (key.endsWith("at") && key.length - 2 >= minimumStem) key = key.slice(0, -2);
  return key;
}
