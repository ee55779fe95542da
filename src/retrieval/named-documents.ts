import { containsAsWords } from "../text/contains-as-words.js";
import { identifierWords } from "../text/identifier-words.js";
import { longFormsOf } from "../text/ops-abbreviations.js";
import { termKey } from "../text/term-key.js";
import type { SearchQuery } from "./search-query.js";

/** Shortest alias that counts when asked verbatim: shorter ones are words, not names. */
const minimumAliasLength = 4;

/** How much of a ticket's description (its start) and logs (their end) is read for quoted aliases. */
const pastedChars = 4000;

/**
 * The documents whose alias the question (or its ticket's title, description
 * or logs) quotes verbatim, case aside (`KubePodCrashLooping`, `403 permission
 * denied`): an alert or error arrives by its exact name, the best evidence
 * there is.
 */
export function namedDocuments(
  query: SearchQuery,
  aliases: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const ticket = query.ticket;
  // A pasted error line names its runbook as surely as the title does.
  const pasted = `${ticket?.description?.slice(0, pastedChars) ?? ""} ${ticket?.logs?.slice(-pastedChars) ?? ""}`;
  const asked = ` ${normaliseSpace(`${query.question} ${ticket?.title ?? ""} ${pasted}`)} `;
  const index = aliasIndexOf(aliases);
  const named = new Set<string>();
  // A quoted alias's first word is a word of the question: only those aliases are tried.
  for (const word of new Set(asked.split(/[^\p{L}\p{N}]+/u))) {
    for (const { path, name } of index.get(word) ?? []) {
      if (!named.has(path) && containsAsWords(asked, name)) named.add(path);
    }
  }
  return named;
}

type AliasIndex = Map<string, { path: string; name: string }[]>;

/** Aliases by their first word, normalised; built once for each aliases map (the KB's whole one is cached). */
const aliasIndexes = new WeakMap<ReadonlyMap<string, readonly string[]>, AliasIndex>();

function aliasIndexOf(aliases: ReadonlyMap<string, readonly string[]>): AliasIndex {
  const known = aliasIndexes.get(aliases);
  if (known) return known;
  const index: AliasIndex = new Map();
  for (const [path, names] of aliases) {
    for (const alias of names) {
      const name = normaliseSpace(alias);
      const firstWord = name.match(/[\p{L}\p{N}]+/u)?.[0];
      if (name.length < minimumAliasLength || firstWord === undefined) continue;
      const entries = index.get(firstWord) ?? [];
      entries.push({ path, name });
      index.set(firstWord, entries);
    }
  }
  aliasIndexes.set(aliases, index);
  return index;
}

/**
 * How much of a ticket's description says what the ticket is about, its first few sentences:
 * where an alias may be spelled out, and what a vague question on the ticket asks.
 */
export const ticketOpeningChars = 400;
/** Fewest words a joined alias must have to be named by them: `TargetDown` is two common words. */
const minimumAliasParts = 3;

/**
 * The documents whose joined alias (`KubeNodeNotReady`) the question (with its ticket's
 * title and the opening of its description) spells out word by word, in any order and form
 * (`k8s worker node has been NotReady`, `node not ready`): people name an alert by what it
 * says. Of several such aliases only those with the most
 * words count (`cpu quota overcommit` names `KubeCPUQuotaOvercommit`, not also
 * `KubeCPUOvercommit`). Documents already quoted verbatim are left to namedDocuments.
 */
export function documentsNamedByParts(
  query: SearchQuery,
  aliases: ReadonlyMap<string, readonly string[]>,
  quoted: ReadonlySet<string> = new Set(),
): Set<string> {
  // The ticket's description often says what the alert is, in words ("failed to compact its
  // TSDB blocks"); its opening is enough, and a long log would spell out anything.
  const description = (query.ticket?.description ?? "").slice(0, ticketOpeningChars);
  const asked = `${query.question} ${query.ticket?.title ?? ""} ${description}`;
  const askedKeys = new Set(
    `${asked} ${identifierWords(asked).join(" ")}`
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word !== "")
      .map(partKey),
  );
  let most = 0;
  let named = new Set<string>();
  for (const [path, names] of aliases) {
    if (quoted.has(path)) continue;
    for (const alias of names) {
      if (/\s/.test(alias)) continue;
      const parts = identifierWords(alias).flatMap((joined) => joined.toLowerCase().split(" "));
      if (parts.length < minimumAliasParts || !parts.every((part) => askedKeys.has(partKey(part))))
        continue;
      if (parts.length > most) {
        most = parts.length;
        named = new Set();
      }
      if (parts.length === most) named.add(path);
    }
  }
  return named;
}

/** Shorthand and its written-out form meet (`k8s`, `kube` and `kubernetes`), as do inflections. */
function partKey(word: string): string {
  return termKey(longFormsOf(word)[0] ?? word);
}

function normaliseSpace(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
