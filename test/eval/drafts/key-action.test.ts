import { describe, expect, it } from "vitest";
import { createKeyActionReader, includesKeyAction } from "../../../src/eval/drafts/key-action.js";

const history = [
  "Restarted the service.",
  "Restarted the pods and the service recovered.",
  "Raised max_connections on pgbouncer and restarted it.",
  "Rolled back the deployment to the previous release.",
];
const keyActionOf = createKeyActionReader(history);

describe("key action of a resolution", () => {
  it("keeps its rarest stemmed words and leaves out the ticket's own", () => {
    const keyAction = keyActionOf(
      "Rolled back the orders-db deployment and restarted the pods.",
      "orders-db is down",
    );
    expect(keyAction).toHaveLength(3);
    expect(keyAction).not.toContain("orders");
    // "restarted" is in most past resolutions: it says least about this fix.
    expect(keyAction).not.toContain("restart");
  });

  it("is empty when the resolution only restates the problem", () => {
    expect(keyActionOf("Fixed the printer.", "The printer jams")).toEqual([]);
  });

  it.each([
    ["two of its words, inflected differently", "We will roll back the deployment now.", true],
    ["one word only", "We will check the deployment.", false],
    ["none", "Please restart your laptop.", false],
  ])("a draft with %s includes it: %s", (_case, draft, expected) => {
    expect(includesKeyAction(draft, ["roll", "deploy", "previous"])).toBe(expected);
  });
});
