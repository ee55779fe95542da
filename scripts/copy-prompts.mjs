// Part of `npm run build`: the prompt files ship beside the compiled server
// (dist/server/prompts/), where src/prompts/shipped-prompts-dir.ts finds them. tsc copies no
// markdown, and a server run from dist/ must not depend on src/ being there.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const from = join(root, "src", "prompts");
const to = join(root, "dist", "server", "prompts");
mkdirSync(to, { recursive: true });
// A prompt removed from src/ must not linger in dist/ (the compiled modules beside them stay).
for (const name of readdirSync(to)) if (name.endsWith(".md")) rmSync(join(to, name));
const prompts = readdirSync(from).filter((name) => name.endsWith(".md"));
for (const name of prompts) copyFileSync(join(from, name), join(to, name));
if (!existsSync(join(to, "ask.md"))) throw new Error(`no ask.md in ${from}`);
process.stdout.write(`copied ${prompts.length} prompt files to ${to}\n`);
