import type { IngestProgress } from "../ingest/run-ingest.js";

const phaseLabel: Record<IngestProgress["phase"], string> = {
  reading: "reading files",
  writing: "embedding and writing chunks",
  indexing: "updating indexes",
  retiring: "keeping the old index for readers (seconds)",
};

/**
 * Progress on stderr: a redrawn bar on a terminal, a plain line per tenth
 * otherwise (CI logs should not fill with carriage returns).
 */
export function createProgressReporter(stream: NodeJS.WriteStream): {
  report: (progress: IngestProgress) => void;
  finish: () => void;
} {
  const interactive = stream.isTTY === true;
  let lastLine = "";
  let lastTenth = new Map<string, number>();
  return {
    report(progress) {
      const fraction = progress.total === 0 ? 1 : progress.done / progress.total;
      const label = phaseLabel[progress.phase];
      if (interactive) {
        const width = 30;
        const filled = Math.round(fraction * width);
        const line = `${label.padEnd(30)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${progress.done}/${progress.total}`;
        if (line !== lastLine) stream.write(`\r${line}`);
        lastLine = line;
        return;
      }
      const tenth = Math.floor(fraction * 10);
      if (lastTenth.get(progress.phase) === tenth) return;
      lastTenth.set(progress.phase, tenth);
      if (progress.total >= 50 || progress.done === progress.total) {
        stream.write(`${label}: ${progress.done}/${progress.total}\n`);
      }
    },
    finish() {
      if (interactive && lastLine !== "") stream.write("\n");
      lastLine = "";
      lastTenth = new Map();
    },
  };
}
