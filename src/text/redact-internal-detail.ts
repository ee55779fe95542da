/** What a reporter sees where internal detail was removed. */
export const redactedMarker = "[internal detail removed]";

export interface Redaction {
  text: string;
  /** How many pieces were removed. */
  removed: number;
}

const ipv4 =
  /\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:\/\d{1,2})?(?::\d{1,5})?\b/g;
const ipv6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b/gi;
/** Dotted names (`db1.prod.internal`, `orders-db.svc.cluster.local`); file names are kept (below). */
const dottedName = /\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\b/gi;
/** Numbered machines (`web-07`, `pg-prod-eu-1-03`): a name ending in a number of two digits or more. */
const numberedHost = /\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{2,}\b/gi;
/** Desk ticket numbers: `INC0010147`, `INC-4711`, `CHG12345`. */
const ticketNumber = /\b[A-Z]{2,5}-?\d{4,}\b/g;
/** A dotted name ending in one of these is a file or a version, not a machine. */
const fileEndings = new Set(
  "md yaml yml json txt log csv sh py js ts conf cfg ini toml xml html pdf png jpg sql tar gz zip".split(
    " ",
  ),
);

/**
 * The last pass over a reply meant for the reporter: IP addresses, host names and other
 * tickets' numbers are replaced, whatever produced the text. `keep` lists words allowed
 * through as written (the ticket's own number). Citations such as `[2]` are untouched.
 */
export function redactInternalDetail(text: string, keep: readonly string[] = []): Redaction {
  let removed = 0;
  const kept = new Set(keep.map((word) => word.toLowerCase()));
  const replace = (pattern: RegExp, skip: (match: string) => boolean = () => false) => {
    text = text.replace(pattern, (match) => {
      if (kept.has(match.toLowerCase()) || skip(match)) return match;
      removed++;
      return redactedMarker;
    });
  };
  replace(ipv4);
  replace(ipv6, (match) => !/[a-f]/i.test(match) && match.split(":").length < 4);
  replace(dottedName, (match) => {
    const labels = match.split(".");
    const last = (labels.at(-1) ?? "").toLowerCase();
    // A version (1.2.3), an abbreviation (e.g) or a file name is not a host.
    return !/^[a-z]{2,}$/.test(last) || fileEndings.has(last);
  });
  replace(numberedHost);
  replace(ticketNumber);
  return { text, removed };
}
