import { readdir, rm, stat, truncate } from "node:fs/promises";
import { join } from "node:path";

/** Cut every data file of a table to half its size, as a full disk or a bad copy would. */
export async function truncateDataFiles(dbDir: string, table: string): Promise<void> {
  const dataDir = join(dbDir, `${table}.lance`, "data");
  for (const name of await readdir(dataDir)) {
    if (!name.endsWith(".lance")) continue;
    const path = join(dataDir, name);
    await truncate(path, Math.floor((await stat(path)).size / 2));
  }
}

/** Delete a table's index files (full-text, scalar, vector), leaving its data. */
export async function deleteIndexFiles(dbDir: string, table: string): Promise<void> {
  await rm(join(dbDir, `${table}.lance`, "_indices"), { recursive: true, force: true });
}
