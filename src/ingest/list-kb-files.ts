import { readdir, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { KbError } from "../errors.js";
import { ticketFolder } from "./tickets/list-ticket-files.js";

const markdownFile = /\.(md|markdown)$/i;

/**
 * Markdown files under `kbDir`, as sorted paths relative to it with `/` separators. Hidden
 * folders and node_modules are skipped, and so is `tickets/`: it holds exports, not documents.
 */
export async function listKbFiles(kbDir: string): Promise<string[]> {
  const info = await stat(kbDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new KbError(
      "invalid_request",
      `KB directory ${kbDir} does not exist or is not a directory`,
    );
  }
  const entries = await readdir(kbDir, { recursive: true, withFileTypes: true });
  const paths: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !markdownFile.test(entry.name)) continue;
    const path = relative(kbDir, join(entry.parentPath, entry.name)).split(sep).join("/");
    if (path.split("/").some((part) => part.startsWith(".") || part === "node_modules")) continue;
    if (path.startsWith(`${ticketFolder}/`)) continue;
    paths.push(path);
  }
  return paths.sort();
}
