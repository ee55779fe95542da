import { describe, expect, it } from "vitest";
import {
  numberOrError,
  wholeNumberOrError,
  wholeNumbersOrError,
} from "../../scripts/parse-cli-args.js";
import { runNode } from "../helpers/run-node.js";

describe("wholeNumberOrError", () => {
  it("reads a whole number at least the minimum", () => {
    expect(wholeNumberOrError("runs", "5", 1)).toBe(5);
    expect(wholeNumberOrError("idle", "0", 0)).toBe(0);
    expect(wholeNumberOrError("runs", " 7 ", 1)).toBe(7);
  });

  it("names the flag and quotes what it got for anything else", () => {
    expect(wholeNumberOrError("duration", "abc", 1)).toBe(
      '--duration must be a whole number of at least 1, got "abc"',
    );
    for (const raw of ["", " ", "2.5", "0", "-1", "Infinity", "1e400", "5x"]) {
      expect(wholeNumberOrError("runs", raw, 1)).toBe(
        `--runs must be a whole number of at least 1, got "${raw}"`,
      );
    }
  });
});

describe("wholeNumbersOrError", () => {
  it("reads comma-separated whole numbers", () => {
    expect(wholeNumbersOrError("concurrency", "500,1000", 1)).toEqual([500, 1000]);
    expect(wholeNumbersOrError("concurrency", "20", 1)).toEqual([20]);
    expect(wholeNumbersOrError("concurrency", "500, 1000", 1)).toEqual([500, 1000]);
  });

  it("refuses the whole list when one of them is not one", () => {
    for (const raw of ["", "500,", "500,,1000", "500,abc", "0,500", "1.5"]) {
      expect(wholeNumbersOrError("concurrency", raw, 1)).toBe(
        `--concurrency must be whole numbers of at least 1 separated by commas, got "${raw}"`,
      );
    }
  });
});

describe("numberOrError", () => {
  it("reads fractions within the range, the minimum included", () => {
    expect(numberOrError("duration", "0.5", { above: 0 })).toBe(0.5);
    expect(numberOrError("drain", "0", { min: 0 })).toBe(0);
    expect(numberOrError("drain", "30", { min: 0 })).toBe(30);
  });

  it("names the flag and the range for anything else", () => {
    expect(numberOrError("rate", "0", { above: 0 })).toBe(
      '--rate must be a number above 0, got "0"',
    );
    expect(numberOrError("drain", "-1", { min: 0 })).toBe(
      '--drain must be a number of at least 0, got "-1"',
    );
    for (const raw of ["", "abc", "NaN", "Infinity", "1,5"]) {
      expect(numberOrError("drain", raw, { min: 0 })).toBe(
        `--drain must be a number of at least 0, got "${raw}"`,
      );
    }
  });
});

describe("a bench's command line", () => {
  const run = async (script: string, args: string[]) => {
    const child = runNode(["--import", "tsx", script, ...args], {});
    return { code: await child.exit, ...child.output };
  };

  it.each([
    ["scripts/bench-load.ts", "duration", "bench:load"],
    ["scripts/bench-ingest.ts", "documents", "bench:ingest"],
    ["scripts/bench-triage.ts", "requests", "bench:triage"],
    ["scripts/bench-start.ts", "runs", "bench:start"],
    ["scripts/bench-objectstore.ts", "rounds", "bench:objectstore"],
    ["scripts/bench-ask.ts", "chunks", "bench:ask"],
    ["scripts/bench-upstream.ts", "streams", "bench:upstream"],
    ["scripts/load/serve-local-chat-model.ts", "tokens", "serve-local-chat-model"],
  ])(
    "%s refuses --%s abc by name, with its usage, and exits 2 before running",
    async (script, flag, name) => {
      const result = await run(script, [`--${flag}`, "abc"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^--${flag} must be .*, got "abc"\n\n`));
      expect(result.stderr).toContain(name);
      expect(result.stdout).toBe("");
    },
  );

  it("prints the usage for --help and exits 0", async () => {
    const result = await run("scripts/bench-upstream.ts", ["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: npm run bench:upstream");
  });

  it("lets bench:start take commands as operands, and still refuses one where a bench takes none", async () => {
    const withOperand = await run("scripts/bench-start.ts", ["--idle", "x", "npm start"]);
    expect(withOperand.code).toBe(2);
    expect(withOperand.stderr).toMatch(/^--idle must be a whole number of at least 0, got "x"/);
    const bench = await run("scripts/bench-load.ts", ["npm start"]);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toMatch(/^Unexpected argument 'npm start'/);
  });
});
