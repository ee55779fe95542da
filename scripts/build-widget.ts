import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Stand-in for the widget build: writes the two files the edge Worker serves
 * (dist/public/widget.js and dist/public/index.html) with placeholder content.
 * The real build replaces this script.
 */
const outDir = join(import.meta.dirname, "..", "dist", "public");
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, "widget.js"), "// kb-answers widget (placeholder build)\n");
await writeFile(
  join(outDir, "index.html"),
  '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>kb-answers demo</title></head>\n<body><h1>kb-answers demo</h1><script src="/widget.js"></script></body>\n</html>\n',
);
process.stdout.write(`wrote ${outDir}/widget.js and index.html\n`);
