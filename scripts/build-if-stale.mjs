// Runs before `npm start`: builds the server (npm run build) when dist/ is missing or older
// than the sources, so a fresh clone starts with one command and an edit is never served
// stale. Plain JavaScript, so that checking costs a few milliseconds and no TypeScript loader.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const sources = [
  "src",
  "scripts/build-widget.ts",
  "scripts/copy-prompts.mjs",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
const outputs = [
  "dist/server/main.js",
  "dist/server/serve-main.js",
  // The server's ingest, run in a process of its own (src/ingest/ingest-in-child.ts).
  "dist/server/ingest-main.js",
  // The package entry `kb-answers/client` (package.json `exports`).
  "dist/server/client/ask-client.js",
  "dist/server/client/ask-client.d.ts",
  // The shipped prompt files (scripts/copy-prompts.mjs).
  "dist/server/prompts/ask.md",
  "dist/server/prompts/draft-reply.md",
  "dist/server/prompts/triage.md",
  "dist/public/widget.js",
  "dist/public/index.html",
];

const newestModified = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path))
    newest = Math.max(newest, newestModified(join(path, entry)));
  return newest;
};

const absolute = (path) => join(root, path);
const missing = outputs.filter((path) => !existsSync(absolute(path)));
const builtAt = missing.length
  ? 0
  : Math.min(...outputs.map((path) => statSync(absolute(path)).mtimeMs));
const changedAt = Math.max(
  ...sources
    .filter((path) => existsSync(absolute(path)))
    .map((path) => newestModified(absolute(path))),
);

if (missing.length === 0 && builtAt >= changedAt) process.exit(0);

process.stderr.write(
  missing.length
    ? `building the server: ${missing.join(", ")} missing\n`
    : "building the server: sources changed since the last build\n",
);
const npm = process.env.npm_execpath
  ? [process.execPath, [process.env.npm_execpath, "run", "build"]]
  : ["npm", ["run", "build"]];
const result = spawnSync(npm[0], npm[1], { cwd: root, stdio: "inherit" });
if (result.status !== 0) {
  process.stderr.write(
    "npm run build failed: the build needs the dev dependencies (npm install without --omit=dev)\n",
  );
  process.exit(result.status ?? 1);
}
