import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";

const repoRoot = join(import.meta.dirname, "../..");
const fixtureKb = join(repoRoot, "test/fixtures/kb");

async function evalDrafts(args: string[]) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/eval-drafts.ts", ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data) => {
    stdout += data;
  });
  child.stderr.on("data", (data) => {
    stderr += data;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, stdout, stderr };
}

const lastLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "");

const audienceShape = {
  n: 24,
  keyAction: { n: expect.any(Number), share: expect.any(Number) },
  correctSource: expect.any(Number),
  noCitation: expect.any(Number),
  draftMs: { p50: expect.any(Number), p95: expect.any(Number) },
};

describe("npm run eval:drafts", () => {
  it("scores offline drafts of held-out tickets for both audiences, as one JSON object last, the same for the same seed", async () => {
    const root = await makeTempDir();
    await writeFiles(root, { "history.jsonl": ticketHistory(40, 7, { fixes: true }) });
    const args = [
      "--tickets",
      join(root, "history.jsonl"),
      "--kb",
      fixtureKb,
      "--seed",
      "3",
      "--json",
    ];
    const first = await evalDrafts(args);
    expect(first.code, first.stderr).toBe(0);
    const report = lastLine(first.stdout);
    expect(report).toMatchObject({
      n: 24,
      skipped: 0,
      train: 96,
      seed: 3,
      split: 0.8,
      audiences: { reporter: audienceShape, resolver: audienceShape },
    });
    // Each desk has three fixes: a draft quoting the most similar past fix often has the right one.
    expect(report.audiences.resolver.keyAction.share).toBeGreaterThan(0.2);
    // Similar past tickets come from the same desk, so every draft cites a right source.
    expect(report.audiences.resolver.correctSource).toBe(1);
    expect(report.audiences.reporter.noCitation).toBe(0);
    expect(first.stdout).toMatch(/reporter\s+\|\s+24\s+\|/);

    const second = await evalDrafts(args);
    const again = lastLine(second.stdout);
    for (const audience of ["reporter", "resolver"] as const) {
      const { draftMs: _first, ...scores } = report.audiences[audience];
      const { draftMs: _second, ...scoresAgain } = again.audiences[audience];
      expect(scoresAgain).toEqual(scores);
    }
  });

  it("names the problem with bad input and exits 2", async () => {
    const root = await makeTempDir();
    const unresolved = ticketHistory(10)
      .trim()
      .split("\n")
      .map((line) => JSON.stringify({ ...JSON.parse(line), resolution: null }))
      .join("\n");
    await writeFiles(root, { "history.jsonl": ticketHistory(10), "open.jsonl": `${unresolved}\n` });
    const tickets = join(root, "history.jsonl");
    const cases = [
      {
        args: ["--tickets", "/nonexistent/tickets.jsonl", "--kb", fixtureKb],
        message: /cannot read --tickets \/nonexistent\/tickets\.jsonl/,
      },
      {
        args: ["--tickets", tickets, "--kb", "/nonexistent/kb"],
        message: /--kb \/nonexistent\/kb is not a folder/,
      },
      {
        args: ["--tickets", tickets, "--kb", fixtureKb, "--split", "1.5"],
        message: /--split must be between 0 and 1/,
      },
      {
        args: ["--tickets", join(root, "open.jsonl"), "--kb", fixtureKb],
        message: /none of the 6 held-out tickets has a resolution/,
      },
    ];
    for (const { args, message } of cases) {
      const result = await evalDrafts(args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
