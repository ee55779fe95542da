import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Embedder } from "../../../src/embed/embedder.js";
import { createOpenAIEmbedder } from "../../../src/embed/openai-embedder.js";
import { runIngest } from "../../../src/ingest/run-ingest.js";
import { type KbIndex, openKbIndex } from "../../../src/store/kb-index.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { makeTempDir, writeFiles } from "../../helpers/temp-dir.js";

const shippedMappings = join(import.meta.dirname, "../../../kb/tickets/mappings");
const shipped = (name: string) => readFile(join(shippedMappings, name), "utf8");

const serviceNowHeader =
  '"number","short_description","description","category","subcategory","priority","state","assignment_group","cmdb_ci","business_service","close_code","close_notes","opened_at","resolved_at","closed_at"';
const serviceNowRow = (number: number, overrides: Partial<Record<string, string>> = {}) => {
  const row = {
    description: `User reports checkout failing (case ${number}).`,
    close_notes: `Rolled back release ${number}.`,
    cmdb_ci: "checkout-api",
    opened_at: "2026-03-14 14:05:00",
    ...overrides,
  };
  const cells = [
    `INC00${number}`,
    `Checkout 503 case ${number}`,
    row.description,
    "Software",
    "",
    "2 - High",
    "Resolved",
    "Payments",
    row.cmdb_ci,
    "Online Shop",
    "Solved (Permanently)",
    row.close_notes,
    row.opened_at,
    "2026-03-14 15:10:00",
    "",
  ];
  return cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(",");
};
const csv = (lines: string[]) => `${lines.join("\r\n")}\r\n`;

describe("ingesting past tickets from CSV exports with a mapping", () => {
  let fake: FakeOpenAI;
  let kbDir: string;
  let index: KbIndex;
  let embedder: Embedder;

  beforeEach(async () => {
    fake = await startFakeOpenAI({ dimensions: 8 });
    kbDir = join(await makeTempDir(), "kb");
    await writeFiles(kbDir, { "runbooks/a.md": "# A\n\nText.\n" });
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

  const ingest = () => runIngest({ kbDir, index, embedder });
  const storedTickets = async () => {
    const state = await index.readState();
    const table = state.active ? await index.ticketTable(state.active) : undefined;
    const records = (await table?.query().toArray()) ?? [];
    return new Map(records.map((record) => [String(record.id), record]));
  };

  it("reads a ServiceNow incident export through the shipped mapping, quoted line breaks and e-mail bodies included", async () => {
    await writeFiles(kbDir, {
      "tickets/servicenow/mapping.yaml": await shipped("servicenow-incident.mapping.yaml"),
      "tickets/servicenow/incidents.csv": `\uFEFF${csv([
        serviceNowHeader,
        serviceNowRow(1, {
          description:
            'received from: jane.doe@larkspur.example\n\nHi team,\ncheckout says "payment declined"\r\nfor every card.\n\nKind regards,\nJane Doe\nFinance',
          close_notes: "Rotated the PayNorth API key, see KB0012.",
        }),
        serviceNowRow(2, { cmdb_ci: "", opened_at: "" }),
      ])}`,
    });
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ added: 2, failed: 0, failures: [] });
    const stored = await storedTickets();
    expect(stored.get("INC001")).toMatchObject({
      path: "tickets/servicenow/incidents.csv",
      title: "Checkout 503 case 1",
      description: 'Hi team,\ncheckout says "payment declined"\nfor every card.',
      category: "Software",
      priority: "2 - High",
      team: "Payments",
      service: "checkout-api",
      resolution: "Rotated the PayNorth API key, see KB0012.",
      opened_at: "2026-03-14T14:05:00Z",
      resolved_at: "2026-03-14T15:10:00Z",
    });
    // An empty cmdb_ci falls back to business_service; an empty date is missing.
    expect(stored.get("INC002")).toMatchObject({ service: "Online Shop", opened_at: null });
  });

  it("reports bad CSV rows by the line they start on and embeds only the new rows of a re-export", async () => {
    const mapping = await shipped("servicenow-incident.mapping.yaml");
    const rows = Array.from({ length: 12 }, (_, position) => serviceNowRow(position + 10));
    await writeFiles(kbDir, {
      "tickets/march.mapping.yaml": mapping,
      "tickets/march.csv": csv([
        serviceNowHeader,
        ...rows.slice(0, 5),
        serviceNowRow(90, { opened_at: "14.03.2026" }),
        ...rows.slice(5),
        `"INC0091","${"x".repeat(3)}",,,,,,,,,,,,,,"extra","cells"`,
      ]),
    });
    const first = await ingest();
    expect(first.tickets).toMatchObject({ added: 12, failed: 2, embedded: 12 });
    expect(first.tickets.failures).toEqual([
      {
        file: "tickets/march.csv",
        line: 7,
        reason: expect.stringContaining('opened_at: "14.03.2026" is not a date'),
      },
      {
        file: "tickets/march.csv",
        line: 15,
        reason: "row has 17 fields, the header 15: check its quotes",
      },
    ]);

    const before = fake.embeddedTexts().length;
    const newRows = Array.from({ length: 10 }, (_, position) => serviceNowRow(position + 50));
    await writeFiles(kbDir, {
      "tickets/march.csv": csv([serviceNowHeader, ...rows, ...newRows]),
    });
    const second = await ingest();
    expect(second.tickets).toMatchObject({ added: 10, unchanged: 12, failed: 0, embedded: 10 });
    expect(fake.embeddedTexts().slice(before)).toHaveLength(10);
    expect((await storedTickets()).size).toBe(22);
  });

  it("reads a Jira export through the shipped mapping: repeated columns, Jira dates, a fallback resolution", async () => {
    const header =
      "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,Assignee,Created,Resolved,Component/s,Component/s,Description,Custom field (Team)";
    await writeFiles(kbDir, {
      "tickets/jira.mapping.yaml": await shipped("jira.mapping.yaml"),
      "tickets/jira.csv": [
        header,
        'Orders DB replica lag,OPS-101,10101,Incident,Done,High,Done,j.smith,14/Mar/26 2:05 PM,14/Mar/26 4:40 PM,,orders-db,"Replica 3 behind by 900 s, ""pg_stat_replication"" shows it",DBA',
        "No components,OPS-102,10102,Service Request,Done,Low,Won't Do,,01/Apr/26 9:00 AM,,,,Access to Grafana,",
      ].join("\n"),
    });
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ added: 2, failed: 0 });
    const stored = await storedTickets();
    expect(stored.get("OPS-101")).toMatchObject({
      title: "Orders DB replica lag",
      description: 'Replica 3 behind by 900 s, "pg_stat_replication" shows it',
      category: "orders-db",
      priority: "High",
      team: "DBA",
      resolution: "Done",
      opened_at: "2026-03-14T14:05:00Z",
      resolved_at: "2026-03-14T16:40:00Z",
    });
    expect(stored.get("OPS-102")).toMatchObject({
      category: "Service Request",
      team: null,
      resolved_at: null,
    });
  });

  it.each([
    [
      "no mapping",
      { "tickets/export.mapping.yaml": null },
      /^no mapping for this CSV: put tickets\/export\.mapping\.yaml \(or mapping\.yaml for the folder\) beside it/,
    ],
    [
      "a mapping with an unknown key",
      { "tickets/export.mapping.yaml": "columns:\n  id: id\n  title: title\n  assignee: x\n" },
      /^tickets\/export\.mapping\.yaml: invalid mapping: columns: Unrecognized key: "assignee"/,
    ],
    [
      "a mapping without title or description",
      { "tickets/export.mapping.yaml": "columns:\n  id: id\n" },
      /invalid mapping: columns: must map title or description/,
    ],
    [
      "a mapping that is not YAML",
      { "tickets/export.mapping.yaml": "columns: [id\n" },
      /^tickets\/export\.mapping\.yaml: not valid YAML/,
    ],
    [
      "a mapping naming a column the header lacks",
      {
        "tickets/export.mapping.yaml":
          "columns:\n  id: id\n  title: [summary, short_description]\n",
      },
      /^tickets\/export\.mapping\.yaml names columns the header lacks: title \("summary" or "short_description"\)\. The header has: "id", "title"/,
    ],
  ])("fails the whole file on %s, keeping its stored tickets", async (_name, change, reason) => {
    await writeFiles(kbDir, {
      "tickets/export.mapping.yaml": "columns:\n  id: id\n  title: title\n",
      "tickets/export.csv": "id,title\n1,Printer jam\n2,VPN drops\n",
    });
    expect((await ingest()).tickets).toMatchObject({ added: 2, failed: 0 });
    for (const [path, content] of Object.entries(change)) {
      if (content === null) await rm(join(kbDir, path));
      else await writeFiles(kbDir, { [path]: content });
    }
    const summary = await ingest();
    expect(summary.tickets).toMatchObject({ removed: 0, failed: 1 });
    expect(summary.tickets.failures).toEqual([
      {
        file: "tickets/export.csv",
        line: expect.toBeOneOf([null, 1]),
        reason: expect.stringMatching(reason),
      },
    ]);
    expect([...(await storedTickets()).keys()].sort()).toEqual(["1", "2"]);
  });
});
