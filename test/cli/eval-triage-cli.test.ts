import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";

const repoRoot = join(import.meta.dirname, "../..");

async function evalTriage(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/eval-triage.ts", ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
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

const fieldShape = {
  accuracy: expect.any(Number),
  macroF1: expect.any(Number),
  confident: { share: expect.any(Number), accuracy: expect.any(Number) },
  baselines: {
    majority: { accuracy: expect.any(Number), macroF1: expect.any(Number) },
    tfidf: { accuracy: expect.any(Number), macroF1: expect.any(Number) },
  },
};

describe("npm run eval:triage", () => {
  it("prints per field accuracy, macro-F1, the confident share and both baselines, as one JSON object last", async () => {
    const root = await makeTempDir();
    await writeFiles(root, { "history.jsonl": ticketHistory(40) });
    const result = await evalTriage([
      "--tickets",
      join(root, "history.jsonl"),
      "--seed",
      "3",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "");
    expect(report).toMatchObject({
      n: 24,
      fields: { team: fieldShape, category: fieldShape, priority: fieldShape },
    });
    // Three desks with their own words: triage finds the team, the majority label cannot.
    expect(report.fields.team.accuracy).toBeGreaterThan(0.9);
    expect(report.fields.team.baselines.majority.accuracy).toBeLessThan(0.5);
    expect(result.stdout).toMatch(/team\s+\|\s+24\s+\|/);
  });

  it("reads a CSV export through --mapping, and is repeatable with the same seed", async () => {
    const root = await makeTempDir();
    const rows = ticketHistory(20)
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .map((ticket) =>
        [ticket.title, ticket.description, ticket.team].map((cell) => `"${cell}"`).join(","),
      );
    await writeFiles(root, {
      "export.csv": `Subject,Body,Group\n${rows.join("\n")}\n`,
      "cols.yaml": "columns:\n  title: Subject\n  description: Body\n  team: Group\n",
    });
    const args = [
      "--tickets",
      join(root, "export.csv"),
      "--mapping",
      join(root, "cols.yaml"),
      "--split",
      "0.75",
      "--json",
    ];
    const first = await evalTriage(args);
    const second = await evalTriage(args);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout.trim().split("\n").at(-1) ?? "");
    expect(Object.keys(report.fields)).toEqual(["team"]);
    expect(report.n).toBe(15);
    expect(JSON.parse(second.stdout.trim().split("\n").at(-1) ?? "").fields).toEqual(report.fields);
  });

  it("triages the KB's own tickets with the KB's taxonomy, as the server does, and others without", async () => {
    const kb = await makeTempDir();
    await writeFiles(kb, {
      "tickets/history.jsonl": ticketHistory(40),
      "taxonomy.yaml": [
        "version: '2026.12'",
        "categories: [{ name: Database }, { name: Application }, { name: Hardware }]",
        "priorities: [{ name: P1 }, { name: P2 }, { name: P3 }, { name: P4 }]",
        "teams: [{ name: data-team }, { name: payments-team }]",
        "",
      ].join("\n"),
    });
    const own = await evalTriage(["--tickets", join(kb, "tickets/history.jsonl"), "--json"], {
      KB_DIR: kb,
    });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stderr).toMatch(/with the taxonomy of .*: version 2026\.12/);
    // The history's third team is not in the taxonomy: triage never answers it.
    const team = JSON.parse(own.stdout.trim().split("\n").at(-1) ?? "").fields.team;
    expect(team.accuracy).toBeLessThan(0.9);

    const elsewhere = await makeTempDir();
    await writeFiles(elsewhere, { "history.jsonl": ticketHistory(40) });
    const other = await evalTriage(["--tickets", join(elsewhere, "history.jsonl"), "--json"], {
      KB_DIR: kb,
    });
    expect(other.stderr).not.toMatch(/with the taxonomy/);
    expect(
      JSON.parse(other.stdout.trim().split("\n").at(-1) ?? "").fields.team.accuracy,
    ).toBeGreaterThan(0.9);
  });

  it("names the problem with bad input and exits 2", async () => {
    const missing = await evalTriage(["--tickets", "/nonexistent/tickets.jsonl"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --tickets \/nonexistent\/tickets\.jsonl/);
    const root = await makeTempDir();
    await writeFiles(root, { "t.csv": "a,b\n1,2\n" });
    const noMapping = await evalTriage(["--tickets", join(root, "t.csv")]);
    expect(noMapping.code).toBe(2);
    expect(noMapping.stderr).toMatch(/give --mapping FILE/);
    const badSplit = await evalTriage(["--tickets", join(root, "t.csv"), "--split", "1.5"]);
    expect(badSplit.code).toBe(2);
    expect(badSplit.stderr).toMatch(/--split must be between 0 and 1/);
  });
});
