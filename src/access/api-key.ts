/** One client of the API: its name goes in logs, its key in `Authorization: Bearer`. */
export interface ApiKey {
  name: string;
  key: string;
}

const minKeyLength = 16;

/**
 * Reads API_KEYS: comma-separated `name:key` pairs. Problems name an entry by its position
 * and name, never by its key, so a typo cannot put a secret into an error message or a log.
 * Plain code, no zod: the Node settings and the edge Worker both parse it.
 */
export function parseApiKeys(text: string | undefined): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  for (const [position, entry] of entries.entries()) {
    const separator = entry.indexOf(":");
    const name = separator > 0 ? entry.slice(0, separator).trim() : "";
    const key = separator > 0 ? entry.slice(separator + 1).trim() : "";
    const where = `entry ${position + 1}${/^[\w.-]{1,64}$/.test(name) ? ` (${name})` : ""}`;
    if (!/^[\w.-]{1,64}$/.test(name)) {
      problems.push(`${where} must be name:key, the name made of letters, digits, _ . -`);
    } else if (key.length < minKeyLength || /\s/.test(key)) {
      problems.push(`${where}: the key must be at least ${minKeyLength} characters, no spaces`);
    } else if (keys.some((known) => known.name === name)) {
      problems.push(`${where}: the name is used twice`);
    } else {
      keys.push({ name, key });
    }
  }
  return { keys, problems };
}
