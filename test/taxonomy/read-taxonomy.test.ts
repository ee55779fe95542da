import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KbError } from "../../src/errors.js";
import { parseTaxonomy, readTaxonomyFile } from "../../src/taxonomy/read-taxonomy.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

const valid = `version: "2026.1"
categories:
  - name: Database
    description: Postgres, Redis and their backups
    keywords: [orders-db, "connection slots"]
  - name: Access
priorities:
  - name: P1
    impact: Many customers or checkout down
    urgency: Now
    keywords: [checkout down]
  - name: P2
teams:
  - name: data-team
    services: [orders-db]
  - name: service-desk
tags: [postgres, kubernetes]
`;

function parseError(yamlText: string): KbError {
  try {
    parseTaxonomy(yamlText, "kb/taxonomy.yaml");
  } catch (error) {
    if (error instanceof KbError) return error;
    throw error;
  }
  throw new Error("expected the taxonomy to be refused");
}

describe("parseTaxonomy", () => {
  it("reads labels with their definitions, ranks priorities by file order and fills the optional fields", () => {
    expect(parseTaxonomy(valid, "kb/taxonomy.yaml")).toEqual({
      version: "2026.1",
      source: "file",
      categories: [
        {
          name: "Database",
          description: "Postgres, Redis and their backups",
          keywords: ["orders-db", "connection slots"],
        },
        { name: "Access", description: null, keywords: [] },
      ],
      priorities: [
        {
          name: "P1",
          description: null,
          keywords: ["checkout down"],
          rank: 0,
          impact: "Many customers or checkout down",
          urgency: "Now",
        },
        { name: "P2", description: null, keywords: [], rank: 1, impact: null, urgency: null },
      ],
      teams: [
        { name: "data-team", description: null, keywords: [], services: ["orders-db"] },
        { name: "service-desk", description: null, keywords: [], services: [] },
      ],
      tags: ["postgres", "kubernetes"],
    });
  });

  it("reads a numeric version as text and no tags as none", () => {
    const taxonomy = parseTaxonomy(valid.replace('"2026.1"', "3").replace(/^tags:.*$/m, ""), "t");
    expect(taxonomy).toMatchObject({ version: "3", tags: [] });
  });

  it.each([
    ["a missing version", valid.replace(/^version:.*\n/, ""), "version:"],
    [
      "a misspelt key",
      valid.replace("    keywords: [orders-db", "    keywrods: [orders-db"),
      'categories.0: Unrecognized key: "keywrods"',
    ],
    [
      "a blank label name",
      valid.replace("name: Access", 'name: "  "'),
      "categories.1.name: must not be blank",
    ],
    [
      "a name twice, ignoring case",
      valid.replace("name: P2", "name: p1"),
      'priorities.1.name: duplicate name "p1"',
    ],
    ["a tag twice", valid.replace("kubernetes]", "Postgres]"), 'tags.1: duplicate name "Postgres"'],
    [
      "an empty list of teams",
      valid.replace(/^teams:[\s\S]*?(?=^tags)/m, "teams: []\n"),
      "teams: needs at least one label",
    ],
    [
      "services that are not a list",
      valid.replace("[orders-db]", "orders-db"),
      "teams.0.services:",
    ],
  ])("refuses %s, naming the path and the field", (_case, yamlText, expected) => {
    const error = parseError(yamlText);
    expect(error.code).toBe("invalid_taxonomy");
    expect(error.message).toMatch(/^kb\/taxonomy\.yaml: invalid taxonomy: /);
    expect(error.message).toContain(expected);
  });

  it("names every bad field at once, in the message and in details", () => {
    const error = parseError(
      valid.replace("name: Access", "name: ''").replace("urgency: Now", "urgency: [now]"),
    );
    expect(error.details).toEqual([
      { field: "categories.1.name", message: "must not be blank" },
      { field: "priorities.0.urgency", message: expect.any(String) },
    ]);
    expect(error.message).toContain("categories.1.name: must not be blank; priorities.0.urgency: ");
  });

  it("refuses YAML that does not parse, and an alias bomb, with the path", () => {
    expect(parseError("categories: [unclosed\n").message).toMatch(
      /^kb\/taxonomy\.yaml: not valid YAML: /,
    );
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
      .concat(
        Array.from(
          { length: 8 },
          (_, level) =>
            `${"bcdefghi"[level]}: &${"bcdefghi"[level]} [${Array(9).fill(`*${"abcdefgh"[level]}`).join(", ")}]`,
        ),
      )
      .join("\n");
    expect(parseError(bomb).message).toMatch(/^kb\/taxonomy\.yaml: not valid YAML: /);
  });
});

describe("readTaxonomyFile", () => {
  it("reads taxonomy.yaml, or taxonomy.yml, from the KB folder and is null without either", async () => {
    const kbDir = await makeTempDir();
    expect(readTaxonomyFile(kbDir)).toBeNull();
    await writeFiles(kbDir, { "taxonomy.yml": valid });
    expect(readTaxonomyFile(kbDir)?.version).toBe("2026.1");
    await writeFiles(kbDir, { "taxonomy.yaml": valid.replace('"2026.1"', '"2026.2"') });
    expect(readTaxonomyFile(kbDir)?.version).toBe("2026.2");
  });

  it("names the file's path when it is broken", async () => {
    const kbDir = await makeTempDir();
    await writeFiles(kbDir, { "taxonomy.yaml": "version: 1\ncategories: []\n" });
    expect(() => readTaxonomyFile(kbDir)).toThrow(
      `${join(kbDir, "taxonomy.yaml")}: invalid taxonomy: categories: needs at least one label`,
    );
    await writeFiles(kbDir, { "taxonomy.yaml": new Uint8Array([0x76, 0xff, 0xfe]) });
    expect(() => readTaxonomyFile(kbDir)).toThrow("taxonomy.yaml: cannot be read: not valid UTF-8");
  });
});
