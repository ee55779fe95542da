import { basename, resolve } from "node:path";
import { watch as watchFiles } from "chokidar";

export interface KbFilesWatch {
  /** Resolves once changes are being watched. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatchKbFilesOptions {
  kbDir: string;
  /** File names directly in `kbDir` to watch (`taxonomy.yaml`, `taxonomy.yml`). */
  names: readonly string[];
  /** Called once a burst of changes (saved, removed or created) has settled. */
  onChange: () => void;
  /** The watcher failed: changes are no longer seen. */
  onError: (reason: string) => void;
}

/** Editors save in bursts (temp file, rename, chmod): read once the burst is over. */
const settleMs = 100;

/** Watches a KB's own settings files (taxonomy, service catalogue) for the sources that reload them. */
export function watchKbFiles(options: WatchKbFilesOptions): KbFilesWatch {
  const folder = resolve(options.kbDir);
  const names = new Set(options.names);
  // The folder itself must pass the filter, or nothing in it is watched.
  const watcher = watchFiles(folder, {
    ignoreInitial: true,
    depth: 0,
    ignored: (path) => resolve(path) !== folder && !names.has(basename(path)),
  });
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(options.onChange, settleMs);
  });
  watcher.on("error", (error) =>
    options.onError(error instanceof Error ? error.message : String(error)),
  );
  const ready = new Promise<void>((resolveReady) => watcher.once("ready", () => resolveReady()));
  return {
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
