import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * Vitest global setup: the tests that start the real server run the compiled
 * dist/server/main.js, as `npm start` does, so build it first when stale.
 */
export function setup(): void {
  const root = join(import.meta.dirname, "../..");
  execFileSync(process.execPath, [join(root, "scripts/build-if-stale.mjs")], {
    cwd: root,
    stdio: "inherit",
  });
}
