import { describe, expect, it } from "vitest";
import { redactInternalDetail } from "../../src/text/redact-internal-detail.js";

describe("redactInternalDetail", () => {
  it.each([
    ["Restarted pg-orders-03.db.internal.", "Restarted [internal detail removed]."],
    [
      "Blocked 10.20.30.41 and 192.168.0.0/16.",
      "Blocked [internal detail removed] and [internal detail removed].",
    ],
    ["Moved to fe80:0:0:0:202:b3ff:fe1e:8329.", "Moved to [internal detail removed]."],
    [
      "Rebooted web-07 and db-prod-eu-12.",
      "Rebooted [internal detail removed] and [internal detail removed].",
    ],
    [
      "Same as INC0076990 and CHG-12345.",
      "Same as [internal detail removed] and [internal detail removed].",
    ],
    ["Edit values.yaml, e.g. with v1.2.3 [2].", "Edit values.yaml, e.g. with v1.2.3 [2]."],
    [
      "checkout-api and orders-db in prod-eu-1 at 14:05:00.",
      "checkout-api and orders-db in prod-eu-1 at 14:05:00.",
    ],
  ])("%s", (text, expected) => {
    expect(redactInternalDetail(text).text).toBe(expected);
  });

  it("keeps the words it is told to keep, such as the reporter's own ticket number", () => {
    const result = redactInternalDetail("About INC0099001, like INC0076990.", ["INC0099001"]);
    expect(result).toEqual({
      text: "About INC0099001, like [internal detail removed].",
      removed: 1,
    });
  });
});
