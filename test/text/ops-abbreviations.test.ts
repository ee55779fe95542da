import { describe, expect, it } from "vitest";
import { longFormsIn, longFormsOf } from "../../src/text/ops-abbreviations.js";

describe("longFormsIn", () => {
  it("spells out the shorthand words of a question, each once", () => {
    const longForms = longFormsIn("K8s PVC full on the prod db, pvc resize failed");
    expect(longForms.split(" ")).toEqual(
      expect.arrayContaining([
        "kubernetes",
        "persistent",
        "volume",
        "claim",
        "production",
        "database",
      ]),
    );
    expect(longForms.match(/persistent volume claim/g)).toHaveLength(1);
    expect(longFormsIn("prom dropping msgs, pg conns exhausted").split(" ")).toEqual(
      expect.arrayContaining(["prometheus", "messages", "connections"]),
    );
  });

  it("gives the one-word noun of a phrasal verb: timing out is a timeout", () => {
    expect(longFormsIn("CI jobs keep timing out").split(" ")).toContain("timeout");
    expect(longFormsIn("can we roll back? we rolled back once before").split(" ")).toEqual([
      "rollback",
    ]);
    expect(longFormsIn("the rollback of the release")).toBe("");
    // The same words in another sense: logs kept in a tool, a queue filling up.
    expect(longFormsIn("errors in the logs in kibana; builds are backing up")).toBe("");
  });

  it("reads whole words only, and gives nothing for a question without shorthand", () => {
    expect(longFormsIn("mongodb replicas and dbsize on the cluster")).toBe("");
    expect(longFormsIn("the certificate on the load balancer expired")).toBe("");
  });
});

describe("longFormsOf", () => {
  it("gives each way a shorthand word is written out, and nothing for another word", () => {
    expect(longFormsOf("pg")).toEqual(["postgres", "postgresql"]);
    expect(longFormsOf("cert")).toEqual(["certificate"]);
    expect(longFormsOf("certificate")).toEqual([]);
    // Not a key of the object's prototype either.
    expect(longFormsOf("constructor")).toEqual([]);
  });
});
