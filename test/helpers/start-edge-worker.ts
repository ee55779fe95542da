import { access } from "node:fs/promises";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const repoRoot = join(import.meta.dirname, "../..");
/** What `npm run build:edge` writes: the bundle `wrangler deploy` would upload. */
export const builtWorkerPath = join(repoRoot, "dist/edge/worker.js");

export interface EdgeWorker {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The built Worker running in workerd (Miniflare, wrangler's local runtime)
 * on 127.0.0.1, configured from wrangler.toml (compatibility date and flags,
 * assets, vars) with `vars` overriding its [vars] and adding secrets.
 */
export async function startEdgeWorker(vars: Record<string, string>): Promise<EdgeWorker> {
  try {
    await access(builtWorkerPath);
  } catch {
    throw new Error(`${builtWorkerPath} is missing: run npm run build:edge first (npm test does)`);
  }
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(repoRoot, "wrangler.toml"));
  // The built bundle is one ES module, so wrangler's module rules (which Miniflare 5 cannot convert) have nothing to do.
  const { modulesRules: _modulesRules, ...sourcelessOptions } = workerOptions;
  // wrangler hands out worker options in Miniflare 4's shape; Miniflare 5 converts them.
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      ...sourcelessOptions,
      modules: true,
      scriptPath: builtWorkerPath,
      bindings: { ...(sourcelessOptions.bindings ?? {}), ...vars },
      host: "127.0.0.1",
      port: 0,
      // Never fetch Cloudflare's request metadata from the network.
      cf: false,
    }),
  );
  const url = await miniflare.ready;
  return {
    baseUrl: url.origin,
    close: () => miniflare.dispose(),
  };
}
