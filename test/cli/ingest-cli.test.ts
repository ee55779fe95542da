import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runNode } from "../helpers/run-node.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

const summaryKeys = [
  "added",
  "updated",
  "removed",
  "unchanged",
  "failed",
  "chunks",
  "embedded",
  "seconds",
];

function startIngest(args: string[], env: Record<string, string> = {}) {
  return runNode(["--import", "tsx", "scripts/ingest.ts", ...args], env);
}

async function runIngestCommand(args: string[], env: Record<string, string> = {}) {
  const { output, exit } = startIngest(args, env);
  const code = await exit;
  return { code, ...output };
}

const lastJsonLine = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1) ?? "");

async function kbWith(files: Record<string, string>) {
  const root = await makeTempDir();
  await writeFiles(join(root, "kb"), files);
  return { kb: join(root, "kb"), db: join(root, "db") };
}

const good = "---\ntitle: Disk full\n---\n# Disk full\n\n## Symptoms\n\nNo space left on device.\n";

describe("npm run ingest", () => {
  it("prints the --json summary contract as the last line and exits 0", async () => {
    const { kb, db } = await kbWith({
      "runbooks/disk.md": good,
      "incidents/one.md": "# One\n\nText.",
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(result.code).toBe(0);
    const summary = lastJsonLine(result.stdout);
    for (const key of summaryKeys) expect(summary).toHaveProperty(key);
    expect(summary).toMatchObject({ added: 2, failed: 0, chunks: 2, embedded: 2 });
    expect(typeof summary.seconds).toBe("number");
  });

  it("adds a tickets object to the --json summary and exits 1 when a ticket row is bad", async () => {
    const { kb, db } = await kbWith({
      "runbooks/disk.md": good,
      "tickets/history.jsonl": `${JSON.stringify({ id: "INC1", title: "Disk full on db-3", resolution: "Rotated logs" })}\n{oops\n${JSON.stringify({ id: "INC1", title: "Disk full again" })}\n`,
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(result.code).toBe(1);
    const summary = lastJsonLine(result.stdout);
    expect(summary).toMatchObject({ added: 1, failed: 0, failures: [] });
    expect(summary.tickets).toEqual({
      added: 1,
      updated: 0,
      removed: 0,
      unchanged: 0,
      failed: 1,
      duplicates: 1,
      embedded: 1,
      failures: [
        {
          file: "tickets/history.jsonl",
          line: 2,
          reason: expect.stringMatching(/^not valid JSON/),
        },
      ],
      warnings: [
        { file: "tickets/history.jsonl", line: 3, reason: "duplicate id INC1: replaces line 1" },
      ],
      taxonomyVersion: null,
      unknownLabels: [],
      // One ticket without labels: a model is trained, with no field to learn.
      triageModel: { trained: true, tickets: 1, labels: {} },
    });
    const text = await runIngestCommand(["--kb", kb, "--db", db]);
    expect(text.stdout).toContain("tickets: 0 added, 0 updated, 0 removed, 1 unchanged, 1 failed");
    expect(text.stdout).toContain("failed: tickets/history.jsonl:2: not valid JSON");
  });

  it("names the history's labels that the taxonomy file does not know", async () => {
    const row = (id: string, category: string, priority: string, team: string) =>
      JSON.stringify({ id, title: `Ticket ${id}`, category, priority, team });
    const { kb, db } = await kbWith({
      "runbooks/disk.md": good,
      "taxonomy.yaml": [
        'version: "2026.3"',
        "categories: [{ name: Database, keywords: [orders-db] }]",
        "priorities: [{ name: P1, impact: checkout down }, { name: P2 }]",
        "teams: [{ name: data-team, services: [orders-db] }]",
      ].join("\n"),
      "tickets/history.jsonl": `${[
        row("INC1", "database", "p1", "Data-Team"),
        row("INC2", "Hardware", "P2", "service-desk"),
        row("INC3", "Hardware", "Sev 1", "data-team"),
      ].join("\n")}\n`,
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(result.code).toBe(0);
    const summary = lastJsonLine(result.stdout);
    // The taxonomy is not a document.
    expect(summary).toMatchObject({ added: 1, failed: 0 });
    expect(summary.tickets).toMatchObject({ added: 3, failed: 0, taxonomyVersion: "2026.3" });
    expect(summary.tickets.unknownLabels).toEqual([
      { field: "category", label: "Hardware", count: 2, ticketIds: ["INC2", "INC3"] },
      { field: "priority", label: "Sev 1", count: 1, ticketIds: ["INC3"] },
      { field: "team", label: "service-desk", count: 1, ticketIds: ["INC2"] },
    ]);
    const text = await runIngestCommand(["--kb", kb, "--db", db]);
    expect(text.stdout).toContain(
      'unknown category "Hardware": 2 tickets (INC2, INC3) not in taxonomy 2026.3',
    );
  });

  it("reports the service catalogue: its version and count, dangling runbooks and unknown owners, and a refused file as a failure", async () => {
    const { kb, db } = await kbWith({
      "runbooks/disk.md": good,
      "taxonomy.yaml": [
        'version: "2026.3"',
        "categories: [{ name: Database }]",
        "priorities: [{ name: P1 }]",
        "teams: [{ name: data-team }]",
      ].join("\n"),
      "services.yaml": [
        'version: "7"',
        "services:",
        "  - { name: orders-db, owner: data-team, runbooks: [runbooks/disk.md, runbooks/gone.md] }",
        "  - { name: checkout-api, owner: payments-team, dependencies: [orders-db] }",
      ].join("\n"),
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(result.code).toBe(0);
    const summary = lastJsonLine(result.stdout);
    // The catalogue is not a document.
    expect(summary).toMatchObject({ added: 1, failed: 0 });
    const path = join(kb, "services.yaml");
    expect(summary.catalogue).toEqual({
      version: "7",
      services: 2,
      warnings: [
        `${path}: services.0 (orders-db): runbook "runbooks/gone.md" is not a file of the KB`,
        `${path}: services.1 (checkout-api): owner "payments-team" is not a team of the taxonomy`,
      ],
      error: null,
    });
    const text = await runIngestCommand(["--kb", kb, "--db", db]);
    expect(text.stdout).toContain("service catalogue 7: 2 services");
    expect(text.stdout).toContain(
      `warning: ${path}: services.0 (orders-db): runbook "runbooks/gone.md"`,
    );

    await writeFile(
      path,
      "version: 8\nservices:\n  - { name: checkout-api, owner: payments-team, dependencies: [ledger] }\n",
    );
    const broken = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(broken.code).toBe(1);
    expect(lastJsonLine(broken.stdout).catalogue).toEqual({
      version: null,
      services: 0,
      warnings: [],
      error: `${path}: invalid service catalogue: services.0 (checkout-api).dependencies.0: "ledger" names no service of the catalogue (add it, or remove the dependency)`,
    });
  });

  it("fails the run, naming the field, when the taxonomy file is broken", async () => {
    const { kb, db } = await kbWith({
      "runbooks/disk.md": good,
      "taxonomy.yaml": "version: 1\ncategories: [{ name: Database, colour: red }]\n",
      "tickets/history.jsonl": `${JSON.stringify({ id: "INC1", title: "Disk full", category: "Hardware" })}\n`,
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
    expect(result.code).toBe(1);
    const summary = lastJsonLine(result.stdout);
    expect(summary.tickets).toMatchObject({
      added: 1,
      failed: 1,
      taxonomyVersion: null,
      unknownLabels: [],
    });
    expect(summary.tickets.failures).toEqual([
      {
        file: "taxonomy.yaml",
        line: null,
        reason: expect.stringMatching(
          /^invalid taxonomy: categories\.0: Unrecognized key: "colour"; priorities: /,
        ),
      },
    ]);
  });

  it("reads KB_DIR and KB_DB when no flags are given", async () => {
    const { kb, db } = await kbWith({ "a.md": good });
    const result = await runIngestCommand(["--json"], { KB_DIR: kb, KB_DB: db });
    expect(lastJsonLine(result.stdout)).toMatchObject({ added: 1 });
  });

  it("exits 1 and names the bad file when a document fails, ingesting the rest", async () => {
    const { kb, db } = await kbWith({
      "good.md": good,
      "bad.md": "---\nservices: {a: 1}\n---\ntext",
    });
    const result = await runIngestCommand(["--kb", kb, "--db", db]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("1 added");
    expect(result.stdout).toMatch(/failed: bad\.md: invalid frontmatter: services/);
  });

  it("documents every flag in --help", async () => {
    const result = await runIngestCommand(["--help"]);
    expect(result.code).toBe(0);
    for (const flag of [
      "--kb",
      "--db",
      "--json",
      "--force",
      "--allow-empty",
      "--dry-run",
      "--watch",
      "--optimize",
      "--help",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  it("exits 2 on an unknown flag or a bad setting, naming it", async () => {
    const unknown = await runIngestCommand(["--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--frobnicate");
    const badSetting = await runIngestCommand(["--json"], { EMBEDDING_BATCH_SIZE: "lots" });
    expect(badSetting.code).toBe(2);
    expect(badSetting.stderr).toContain("EMBEDDING_BATCH_SIZE");
    expect(lastJsonLine(badSetting.stdout)).toMatchObject({ error: { code: "invalid_config" } });
  });

  it("re-ingests saved files with --watch and stops cleanly on SIGINT", async () => {
    const { kb, db } = await kbWith({ "disk.md": good });
    const watcher = startIngest(["--kb", kb, "--db", db, "--json", "--watch"]);
    try {
      await waitFor(
        () => watcher.output.stderr.includes("watching"),
        "the watcher to start",
        15_000,
      );
      await writeFile(join(kb, "disk.md"), `${good}\n## Remediation\n\nDelete old logs.\n`);
      await waitFor(
        () => watcher.output.stdout.trim().split("\n").length >= 2,
        `a second summary in ${JSON.stringify(watcher.output)}`,
        15_000,
      );
      expect(lastJsonLine(watcher.output.stdout)).toMatchObject({ updated: 1, embedded: 1 });
      watcher.child.kill("SIGINT");
      expect(await watcher.exit).toBe(0);
    } finally {
      stop(watcher.child);
    }
  });
});

describe("npm run ingest -- --watch, stopped by a service manager", () => {
  it("ends the run in progress on SIGTERM, exits 0, leaves no process behind and releases its lock", async () => {
    const root = await makeTempDir();
    const kb = join(root, "kb");
    const db = join(root, "db");
    const { generateKb } = await import("../../scripts/generate-kb.js");
    await generateKb(kb, { documents: 400, seed: 3 });
    // Through npm, as an operator runs it: npm must pass the signal on, not orphan the ingest.
    const npm = spawn(
      "npm",
      ["run", "ingest", "--silent", "--", "--kb", kb, "--db", db, "--watch"],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? root },
      },
    );
    let stderr = "";
    npm.stderr.on("data", (data) => {
      stderr += data;
    });
    // "close" waits for every process holding npm's output pipes: an orphan would keep it open.
    const closed = new Promise<number | null>((resolve) => npm.on("close", resolve));
    try {
      await waitFor(
        () => stderr.includes("embedding and writing chunks"),
        "the run to start",
        60_000,
      );
      npm.kill("SIGTERM");
      expect(await closed).toBe(0);
      // Cut mid-run, or just finished on a fast machine: either way no failure and no half state.
      expect(stderr).toMatch(/interrupted: what was written is complete|stopped watching/);
      expect(stderr).not.toContain("ingest failed");
      // The lock is free and the index whole: the next run takes it and finishes the job.
      const next = await runIngestCommand(["--kb", kb, "--db", db, "--json"]);
      expect(next.code).toBe(0);
      expect(lastJsonLine(next.stdout)).toMatchObject({ failed: 0 });
    } finally {
      stop(npm);
    }
  }, 120_000);
});

function stop(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

describe("npm run ingest, killed half-way", () => {
  it("leaves the previous index whole and queryable, and the next run finishes without duplicates", async () => {
    const root = await makeTempDir();
    const kb = join(root, "kb");
    const db = join(root, "db");
    const { generateKb } = await import("../../scripts/generate-kb.js");
    await generateKb(kb, { documents: 40 });
    expect((await runIngestCommand(["--kb", kb, "--db", db, "--json"])).code).toBe(0);
    const { openKbIndex } = await import("../../src/store/kb-index.js");
    const countChunks = async () => {
      const index = await openKbIndex(db);
      try {
        const state = await index.readState();
        const table = state.active ? await index.chunkTable(state.active) : undefined;
        const rows = (await table?.query().select(["id"]).toArray()) ?? [];
        const documents = state.active ? await index.documentTable(state.active) : undefined;
        const manifest = (await documents?.query().select(["chunk_count"]).toArray()) ?? [];
        return {
          rows: rows.length,
          distinct: new Set(rows.map((row) => row.id)).size,
          documents: manifest.length,
          manifestChunks: manifest.reduce((total, row) => total + Number(row.chunk_count), 0),
        };
      } finally {
        index.close();
      }
    };
    const before = await countChunks();

    // A big change, killed as soon as it starts writing.
    await generateKb(kb, { documents: 800, seed: 7 });
    const run = startIngest(["--kb", kb, "--db", db, "--force"]);
    await waitFor(
      () => run.output.stderr.includes("embedding and writing chunks"),
      "the run to start writing",
      60_000,
    );
    run.child.kill("SIGKILL");
    await run.exit;

    expect(await countChunks()).toEqual(before);
    // No server reads this index: the swapped-out generation may go at once.
    const next = await runIngestCommand(["--kb", kb, "--db", db, "--json"], {
      INDEX_SWAP_GRACE_MS: "0",
    });
    expect(next.code).toBe(0);
    const after = await countChunks();
    const { listKbFiles } = await import("../../src/ingest/list-kb-files.js");
    expect(after.documents).toBe((await listKbFiles(kb)).length);
    expect(after.rows).toBe(after.distinct);
    expect(after.rows).toBe(after.manifestChunks);
    // Three CLI processes and an 800-document ingest: on a busy two-core machine this passed 30 s.
  }, 120_000);
});
