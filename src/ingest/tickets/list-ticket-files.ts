import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

/** The folder under the KB folder that holds ticket exports. */
export const ticketFolder = "tickets";

const ticketFile = /\.(jsonl|csv)$/i;

/**
 * Ticket exports under `<kbDir>/tickets/` (`.jsonl`, `.csv`), as sorted paths
 * relative to the KB folder with `/` separators; none when the folder is absent.
 * Hidden folders and node_modules are skipped, as for documents.
 */
export async function listTicketFiles(kbDir: string): Promise<string[]> {
  const root = join(kbDir, ticketFolder);
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(
    (error: unknown) => {
      // No tickets folder is the common case: a KB of documents only.
      if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
      throw error;
    },
  );
  const paths: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !ticketFile.test(entry.name)) continue;
    const path = relative(kbDir, join(entry.parentPath, entry.name)).split(sep).join("/");
    if (path.split("/").some((part) => part.startsWith(".") || part === "node_modules")) continue;
    paths.push(path);
  }
  return paths.sort();
}
