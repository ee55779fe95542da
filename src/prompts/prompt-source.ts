import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { watch as watchFiles } from "chokidar";
import type { Logger } from "../logger.js";
import { type Prompt, type PromptLibrary, type PromptName, promptNames } from "./prompt.js";
import { parsePromptFile } from "./read-prompt-file.js";

export interface PromptSourceOptions {
  /** The prompt files shipped with the server; each must be valid. */
  shippedDir: string;
  /** Its `prompts/` folder overrides the shipped files one by one; absent: shipped only. */
  kbDir?: string | undefined;
  logger: Logger;
  /** Reload when a file in `<kbDir>/prompts/` is saved, removed or created. */
  watch: boolean;
}

export interface PromptSource extends PromptLibrary {
  /** Resolves once changes are being watched (at once when not watching). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Editors save in bursts (temp file, rename, chmod): read once the burst is over. */
const settleMs = 100;

/**
 * The prompts, live. The shipped files are read at start (a broken one is a bug: this
 * throws); a KB override is read now and, when watching, again within about a second of
 * each change. An override that breaks keeps the previous prompt and logs why; a removed
 * one gives the shipped prompt back.
 */
export function createPromptSource(options: PromptSourceOptions): PromptSource {
  const { logger } = options;
  const read = (path: string, name: PromptName, source: Prompt["source"]) =>
    parsePromptFile(readFileSync(path, "utf8"), name, path, source);
  const shipped = new Map<PromptName, Prompt>(
    promptNames.map((name) => [
      name,
      read(join(options.shippedDir, `${name}.md`), name, "shipped"),
    ]),
  );
  const prompts = new Map(shipped);
  const overrideDir = options.kbDir === undefined ? undefined : join(options.kbDir, "prompts");

  const load = () => {
    for (const name of promptNames) {
      const previous = prompts.get(name) as Prompt;
      const path = overrideDir === undefined ? undefined : join(overrideDir, `${name}.md`);
      let next = shipped.get(name) as Prompt;
      if (path !== undefined && existsSync(path)) {
        try {
          next = read(path, name, "kb");
        } catch (error) {
          logger.warn("prompt file not loaded; keeping the previous prompt", {
            path,
            reason: error instanceof Error ? error.message : String(error),
            keptVersion: previous.version,
          });
          continue;
        }
      }
      prompts.set(name, next);
      if (
        next.version !== previous.version ||
        next.path !== previous.path ||
        next.template !== previous.template
      ) {
        logger.info("prompt loaded", {
          name,
          version: next.version,
          source: next.source,
          path: next.path,
        });
      }
    }
  };
  for (const prompt of shipped.values()) {
    logger.info("prompt loaded", { name: prompt.name, version: prompt.version, source: "shipped" });
  }
  load();

  if (!options.watch || overrideDir === undefined) {
    return {
      current: (name) => prompts.get(name) as Prompt,
      ready: Promise.resolve(),
      close: async () => {},
    };
  }

  const folder = resolve(overrideDir);
  const kbFolder = resolve(options.kbDir as string);
  const names = new Set<string>(promptNames.map((name) => `${name}.md`));
  // The KB folder is watched for `prompts/` to appear; inside it, only the prompt files.
  const watcher = watchFiles(kbFolder, {
    ignoreInitial: true,
    depth: 1,
    ignored: (path) => {
      const absolute = resolve(path);
      if (absolute === kbFolder || absolute === folder) return false;
      return resolve(absolute, "..") !== folder || !names.has(basename(absolute));
    },
  });
  let timer: NodeJS.Timeout | undefined;
  watcher.on("all", () => {
    clearTimeout(timer);
    timer = setTimeout(load, settleMs);
  });
  watcher.on("error", (error) =>
    logger.warn("prompt watcher failed; prompts are no longer reloaded", {
      path: overrideDir,
      reason: error instanceof Error ? error.message : String(error),
    }),
  );
  const ready = new Promise<void>((resolveReady) => watcher.once("ready", () => resolveReady()));
  return {
    current: (name) => prompts.get(name) as Prompt,
    ready,
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
