import { rm } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Embedder } from "../../../src/embed/embedder.js";
import { createOpenAIEmbedder } from "../../../src/embed/openai-embedder.js";
import { runIngest } from "../../../src/ingest/run-ingest.js";
import { type KbIndex, openKbIndex } from "../../../src/store/kb-index.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { makeTempDir, writeFiles } from "../../helpers/temp-dir.js";

const runbook = "---\ntitle: Disk full\n---\n# Disk full\n\n## Fix\n\nDelete old logs.\n";

interface Row {
  id: string | number;
  title?: string | null;
  description?: string;
  category?: string;
  priority?: string;
  team?: string;
  service?: string;
  resolution?: string;
  opened_at?: string;
  resolved_at?: string;
}

const ticket = (id: number, overrides: Partial<Row> = {}): Row => ({
  id: `INC${String(id).padStart(5, "0")}`,
  title: `Ticket ${id}: checkout returns 503`,
  description: `Customer reports checkout failing, case ${id}.`,
  category: "Incident",
  priority: "P2",
  team: "Payments",
  service: "checkout-api",
  resolution: `Rolled back release ${id}.`,
  opened_at: "2026-03-14T14:05:00Z",
  resolved_at: "2026-03-14 15:10:00",
  ...overrides,
});
const jsonl = (rows: (Row | string)[]) =>
  `${rows.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join("\n")}\n`;

describe("ingesting past tickets (JSON Lines contract)", () => {
  let fake: FakeOpenAI;
  let kbDir: string;
  let index: KbIndex;
  let embedder: Embedder;

  beforeEach(async () => {
    fake = await startFakeOpenAI({ dimensions: 8 });
    kbDir = join(await makeTempDir(), "kb");
    await writeFiles(kbDir, { "runbooks/disk.md": runbook });
    index = await openKbIndex(join(await makeTempDir(), "db"));
    embedder = createOpenAIEmbedder({
      client: new OpenAI({ baseURL: fake.baseURL, apiKey: "k", maxRetries: 0 }),
      model: "fake-embed",
      batchSize: 16,
    });
  });
  afterEach(async () => {
    index.close();
    await fake.close();
  });

  const ingest = (options: { force?: boolean; dryRun?: boolean } = {}) =>
    runIngest({ kbDir, index, embedder, swapGraceMs: 0, ...options });
  const writeExport = (rows: (Row | string)[], path = "tickets/history.jsonl") =>
    writeFiles(kbDir, { [path]: jsonl(rows) });
  const storedTickets = async () => {
    const state = await index.readState();
    const table = state.active ? await index.ticketTable(state.active) : undefined;
    const records = (await table?.query().toArray()) ?? [];
    return new Map(records.map((record) => [String(record.id), record]));
  };
  const ticketTextsEmbedded = (from = 0) =>
    fake
      .embeddedTexts()
      .slice(from)
      .filter((text) => !text.includes("Delete old logs"));

  it("stores each ticket with its fields, dates as ISO 8601 UTC and missing fields empty", async () => {
    await writeExport([
      ticket(1),
      { id: 2, description: "VPN drops every hour\nsince Monday" },
      { id: "INC00003", title: "Printer offline", opened_at: "2026-03-14T16:05:00+02:00" },
    ]);
    const summary = await ingest();
    expect(summary.tickets).toEqual({
      added: 3,
      updated: 0,
      removed: 0,
      unchanged: 0,
      failed: 0,
      duplicates: 0,
      embedded: 3,
      failures: [],
      warnings: [],
      taxonomyVersion: null,
      unknownLabels: [],
      triageModel: { trained: true, tickets: 3, labels: expect.any(Object) },
    });
    // Documents are counted as before: the ticket texts are not chunks.
    expect(summary).toMatchObject({ added: 1, chunks: 1, embedded: 1 });
    const stored = await storedTickets();
    expect(stored.get("INC00001")).toMatchObject({
      path: "tickets/history.jsonl",
      title: "Ticket 1: checkout returns 503",
      team: "Payments",
      service: "checkout-api",
      opened_at: "2026-03-14T14:05:00Z",
      resolved_at: "2026-03-14T15:10:00Z",
    });
    expect(stored.get("2")).toMatchObject({
      title: "VPN drops every hour",
      description: "VPN drops every hour\nsince Monday",
      category: null,
      resolution: null,
      opened_at: null,
    });
    expect(stored.get("INC00003")).toMatchObject({ opened_at: "2026-03-14T14:05:00Z" });
    expect(String(stored.get("INC00001")?.search_text)).toBe(
      "Ticket 1: checkout returns 503\n\nCustomer reports checkout failing, case 1.\n\nResolution: Rolled back release 1.",
    );
  });

  it("reports bad rows with file, line and reason, and ingests the rest", async () => {
    await writeExport([
      ticket(1),
      "{not json",
      { id: "", title: "no id" } as Row,
      { id: 4, title: null },
      "",
      ticket(6, { opened_at: "yesterday" }),
      "[1, 2]",
      ticket(8),
    ]);
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ added: 2, failed: 5 });
    expect(summary.tickets.failures).toEqual([
      { file: "tickets/history.jsonl", line: 2, reason: expect.stringMatching(/^not valid JSON/) },
      { file: "tickets/history.jsonl", line: 3, reason: "id: is required" },
      { file: "tickets/history.jsonl", line: 4, reason: "title: needs a title or a description" },
      {
        file: "tickets/history.jsonl",
        line: 6,
        reason: expect.stringContaining('opened_at: "yesterday" is not a date'),
      },
      { file: "tickets/history.jsonl", line: 7, reason: "expected a JSON object" },
    ]);
    expect([...(await storedTickets()).keys()].sort()).toEqual(["INC00001", "INC00008"]);
  });

  it("embeds only the new rows of a re-exported file, updates edited ones and removes dropped ones", async () => {
    const history = Array.from({ length: 20 }, (_, position) => ticket(position + 1));
    await writeExport(history);
    await ingest();
    const before = fake.embeddedTexts().length;
    const reexport = [
      ...history.slice(1, 19),
      ticket(20, { resolution: "Restarted the pods instead." }),
      ...Array.from({ length: 10 }, (_, position) => ticket(100 + position)),
    ];
    await writeExport(reexport);
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({
      added: 10,
      updated: 1,
      removed: 1,
      unchanged: 18,
      embedded: 11,
    });
    const sent = ticketTextsEmbedded(before);
    expect(sent).toHaveLength(11);
    expect(sent.filter((text) => text.includes("Restarted the pods instead."))).toHaveLength(1);
    const stored = await storedTickets();
    expect(stored.size).toBe(29);
    expect(stored.has("INC00001")).toBe(false);
    expect(String(stored.get("INC00020")?.resolution)).toBe("Restarted the pods instead.");

    const requests = fake.requests.length;
    expect((await ingest()).tickets).toMatchObject({ unchanged: 29, embedded: 0 });
    expect(fake.requests.length).toBe(requests);
  });

  it("does not embed again a ticket whose labels alone changed", async () => {
    await writeExport([ticket(1)]);
    await ingest();
    const before = fake.embeddedTexts().length;
    await writeExport([ticket(1, { priority: "P1", team: "SRE" })]);
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ updated: 1, embedded: 0 });
    expect(fake.embeddedTexts()).toHaveLength(before);
    expect((await storedTickets()).get("INC00001")).toMatchObject({ priority: "P1", team: "SRE" });
  });

  it("keeps the last row of a duplicated id and reports which row it replaced", async () => {
    await writeExport([
      ticket(1),
      ticket(2),
      ticket(1, { resolution: "Second time: cleared the cache." }),
    ]);
    await writeExport([ticket(2, { title: "From the later file" })], "tickets/z-later.jsonl");
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ added: 2, duplicates: 2, failed: 0 });
    expect(summary.tickets.warnings).toEqual([
      { file: "tickets/history.jsonl", line: 3, reason: "duplicate id INC00001: replaces line 1" },
      {
        file: "tickets/z-later.jsonl",
        line: 1,
        reason: "duplicate id INC00002: replaces tickets/history.jsonl line 2",
      },
    ]);
    const stored = await storedTickets();
    expect(String(stored.get("INC00001")?.resolution)).toBe("Second time: cleared the cache.");
    expect(stored.get("INC00002")).toMatchObject({
      title: "From the later file",
      path: "tickets/z-later.jsonl",
    });
  });

  it("keeps the stored version of a ticket whose row broke, and every ticket of a file that broke", async () => {
    await writeExport([ticket(1), ticket(2), ticket(3)]);
    await writeExport([ticket(50)], "tickets/other.jsonl");
    await ingest();
    await writeExport([ticket(1), ticket(2, { opened_at: "not a date" }), ticket(3)]);
    await writeFiles(kbDir, { "tickets/other.jsonl": Buffer.from([0xff, 0xfe, 0x00]) });
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ removed: 0, unchanged: 2, failed: 2 });
    expect(summary.tickets.failures).toEqual([
      { file: "tickets/history.jsonl", line: 2, reason: expect.stringContaining("opened_at") },
      { file: "tickets/other.jsonl", line: null, reason: "file is not valid UTF-8" },
    ]);
    expect([...(await storedTickets()).keys()].sort()).toEqual([
      "INC00001",
      "INC00002",
      "INC00003",
      "INC00050",
    ]);

    // A row that cannot even name its id keeps every ticket of its file from being removed.
    await writeExport([ticket(1), "{broken"]);
    await rm(join(kbDir, "tickets/other.jsonl"));
    const next = await ingest();
    expect(next.tickets).toMatchObject({ removed: 1, failed: 1 });
    expect([...(await storedTickets()).keys()].sort()).toEqual([
      "INC00001",
      "INC00002",
      "INC00003",
    ]);
  });

  it("carries tickets across a --force rebuild without embedding them again, broken rows included", async () => {
    await writeExport([ticket(1), ticket(2)]);
    await ingest();
    await writeExport([ticket(1), ticket(2, { resolved_at: "31/02/2026" })]);
    const before = fake.embeddedTexts().length;
    const summary = await ingest({ force: true });
    expect(summary).toMatchObject({ rebuilt: true, generation: 2 });
    expect(summary.tickets).toMatchObject({ added: 1, failed: 1, embedded: 0 });
    expect(ticketTextsEmbedded(before)).toEqual([]);
    expect([...(await storedTickets()).keys()].sort()).toEqual(["INC00001", "INC00002"]);
    expect((await index.connection.tableNames()).sort()).toEqual([
      "chunks_g2",
      "docs_g2",
      "kb_state",
      "tickets_g2",
      // The triage model of generation 2; generation 1's went with its tables.
      "triage_g2",
    ]);
  });

  it("reports a dry run's tickets and writes and embeds nothing", async () => {
    await writeExport([ticket(1), ticket(2)]);
    const summary = await ingest({ dryRun: true });
    expect(summary.tickets).toMatchObject({ added: 2, embedded: 2 });
    expect(fake.embeddedTexts()).toEqual([]);
  });

  it("reads markdown under tickets/ as no document, and exports elsewhere in the KB as nothing", async () => {
    await writeFiles(kbDir, {
      "tickets/README.md": "# How we export tickets\n\nFrom ServiceNow.",
      "data/export.jsonl": jsonl([ticket(9)]),
      "runbooks/table.csv": "id,title\n1,x\n",
    });
    await writeExport([ticket(1)]);
    const summary = await ingest();
    expect(summary).toMatchObject({ added: 1, failed: 0 });
    expect(summary.tickets).toMatchObject({ added: 1 });
    expect([...(await storedTickets()).keys()]).toEqual(["INC00001"]);
  });

  it("reads a JSON Lines file with a byte order mark and CRLF line ends", async () => {
    await writeFiles(kbDir, {
      "tickets/crlf.jsonl": `\uFEFF${JSON.stringify(ticket(1))}\r\n${JSON.stringify(ticket(2))}\r\n`,
    });
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ added: 2, failed: 0 });
  });
});
