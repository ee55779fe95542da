import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseServiceCatalogue,
  readServiceCatalogueFile,
} from "../../src/catalogue/read-service-catalogue.js";
import { KbError } from "../../src/errors.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

const valid = `version: "2026.11"
services:
  - name: checkout-api
    aliases: [Checkout]
    description: Takes the basket to a paid order.
    owner: payments-team
    on_call: { rotation: payments-primary, contact: "#payments-oncall" }
    tier: 1
    dependencies: [orders-db]
    runbooks: [runbooks/rollback.md]
    dashboards: [https://grafana.example/d/checkout]
  - name: orders-db
    owner: data-team
    on_call: { contact: "#data-oncall" }
`;

const noChecks = { kbDir: "/nonexistent", teams: null };

function parseError(yamlText: string): KbError {
  try {
    parseServiceCatalogue(yamlText, "kb/services.yaml", noChecks);
  } catch (error) {
    if (error instanceof KbError) return error;
    throw error;
  }
  throw new Error("expected the catalogue to be refused");
}

describe("parseServiceCatalogue", () => {
  it("reads each service's owner, on-call, tier, dependencies, runbooks and dashboards", () => {
    const { catalogue } = parseServiceCatalogue(valid, "kb/services.yaml", noChecks);
    expect(catalogue.version).toBe("2026.11");
    expect(catalogue.file).toBe("services.yaml");
    expect(catalogue.services.map((service) => service.name)).toEqual([
      "checkout-api",
      "orders-db",
    ]);
    expect(catalogue.lookup("checkout-api")).toEqual({
      name: "checkout-api",
      aliases: ["Checkout"],
      description: "Takes the basket to a paid order.",
      owner: "payments-team",
      onCall: { rotation: "payments-primary", contact: "#payments-oncall" },
      tier: 1,
      dependencies: ["orders-db"],
      runbooks: ["runbooks/rollback.md"],
      dashboards: ["https://grafana.example/d/checkout"],
    });
    expect(catalogue.lookup("orders-db")).toMatchObject({
      aliases: [],
      description: null,
      onCall: { rotation: null, contact: "#data-oncall" },
      tier: null,
      dependencies: [],
      runbooks: [],
      dashboards: [],
    });
  });

  it("looks a service up by its name or an alias, ignoring case and surrounding space", () => {
    const { catalogue } = parseServiceCatalogue(valid, "kb/services.yaml", noChecks);
    expect(catalogue.lookup(" CHECKOUT ")?.name).toBe("checkout-api");
    expect(catalogue.lookup("Checkout-API")?.name).toBe("checkout-api");
    expect(catalogue.lookup("payments")).toBeUndefined();
  });

  it.each([
    [
      "a name used twice, ignoring case",
      `${valid}  - name: Checkout-API\n    owner: web-team\n`,
      'services.2 (Checkout-API).name: "Checkout-API" is already a name or alias of checkout-api',
    ],
    [
      "an alias that is another service's name",
      valid.replace("aliases: [Checkout]", "aliases: [Checkout, orders-db]"),
      'services.1 (orders-db).name: "orders-db" is already a name or alias of checkout-api',
    ],
    [
      "a dependency that names no service",
      valid.replace("dependencies: [orders-db]", "dependencies: [orders-db, ledger]"),
      'services.0 (checkout-api).dependencies.1: "ledger" names no service of the catalogue',
    ],
    [
      "a service without an owner",
      valid.replace("    owner: data-team\n", ""),
      "services.1 (orders-db).owner: Invalid input",
    ],
    [
      "a misspelt key",
      valid.replace("tier: 1", "teir: 1"),
      'services.0 (checkout-api): Unrecognized key: "teir"',
    ],
    [
      "an on-call with neither rotation nor contact",
      valid.replace('on_call: { contact: "#data-oncall" }', "on_call: {}"),
      "services.1 (orders-db).on_call: needs a rotation, a contact or both",
    ],
    [
      "a runbook path outside the KB",
      valid.replace("runbooks/rollback.md", "../secrets.md"),
      "services.0 (checkout-api).runbooks.0: must be a path inside the KB folder",
    ],
    [
      "a dashboard that is not an http(s) URL",
      valid.replace("https://grafana.example/d/checkout", "javascript:alert(1)"),
      "services.0 (checkout-api).dashboards.0: must be an http(s) URL",
    ],
  ])("refuses %s, naming the file and the entry", (_case, yamlText, message) => {
    const error = parseError(yamlText);
    expect(error.code).toBe("invalid_service_catalogue");
    expect(error.message).toContain("kb/services.yaml: invalid service catalogue: ");
    expect(error.message).toContain(message);
  });

  it("refuses text that is not YAML, naming the file", () => {
    expect(parseError("services: [").message).toMatch(/^kb\/services\.yaml: not valid YAML: /);
  });
});

describe("readServiceCatalogueFile", () => {
  it("is null for a KB without services.yaml", async () => {
    expect(readServiceCatalogueFile(await makeTempDir(), null)).toBeNull();
  });

  it("warns of runbooks missing from the KB and owners the taxonomy does not know, and serves the rest", async () => {
    const kbDir = await makeTempDir();
    await writeFiles(kbDir, { "services.yaml": valid, "runbooks/other.md": "# Other\n" });
    const reading = readServiceCatalogueFile(kbDir, ["payments-team", "web-team"]);
    const path = join(kbDir, "services.yaml");
    expect(reading?.warnings).toEqual([
      `${path}: services.0 (checkout-api): runbook "runbooks/rollback.md" is not a file of the KB`,
      `${path}: services.1 (orders-db): owner "data-team" is not a team of the taxonomy`,
    ]);
    expect(reading?.catalogue.lookup("orders-db")?.owner).toBe("data-team");

    await writeFiles(kbDir, { "runbooks/rollback.md": "# Rollback\n" });
    expect(readServiceCatalogueFile(kbDir, null)?.warnings).toEqual([]);
  });
});
