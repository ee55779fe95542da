import { describe, expect, it } from "vitest";
import { createJsonLogger } from "../src/logger.js";

describe("the JSON logger", () => {
  it.each([
    ["a configured secret anywhere in the record", { note: "key was my-own-secret-123 ok" }],
    ["a bearer token", { header: "Authorization: Bearer abcdef0123456789" }],
    ["an sk- key", { error: new Error("Incorrect API key provided: sk-proj-abcdefghijklmnop") }],
    ["an api_key pair", { url: "https://x.example/?api_key=zyxwvut98765" }],
    ["credentials in a URL", { url: "https://admin:pa55word-x@db.example/path" }],
  ])("masks %s", (_case, fields) => {
    const lines: string[] = [];
    const logger = createJsonLogger({
      secrets: ["my-own-secret-123"],
      write: (line) => lines.push(line),
    });
    logger.error("upstream failed", fields);
    const line = lines.join("");
    expect(line).toContain("[redacted]");
    for (const secret of [
      "my-own-secret-123",
      "abcdef0123456789",
      "abcdefghijklmnop",
      "zyxwvut98765",
      "pa55word-x",
    ]) {
      expect(line).not.toContain(secret);
    }
  });

  it("leaves ordinary text alone", () => {
    const lines: string[] = [];
    createJsonLogger({ write: (line) => lines.push(line) }).info("request", {
      path: "/v1/ask",
      ms: 12,
    });
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ path: "/v1/ask", ms: 12 });
  });
});
