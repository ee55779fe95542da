import { describe, expect, it } from "vitest";
import { kindFromPath, parseDocument } from "../../src/ingest/parse-document.js";

const parse = (path: string, text: string | Uint8Array) =>
  parseDocument(path, typeof text === "string" ? new TextEncoder().encode(text) : text, "hash");

const document = (path: string, text: string) => {
  const result = parse(path, text);
  if (!result.ok) throw new Error(`expected ${path} to parse: ${result.reason}`);
  return result.document;
};

describe("parseDocument", () => {
  it("reads the documented frontmatter fields", () => {
    const parsed = document(
      "incidents/2026-03-14-outage.md",
      `---
title: Checkout 503s
kind: incident
services: [checkout-api, prod-eu-1]
tags: deploy
aliases: ["CheckoutApi5xxRateHigh", 503]
severity: 1
owner: payments-team
updated: 2026-03-20
date: 2026-03-14
impact: 12% of checkouts failed
root_cause: readiness probe pointed at a removed path
resolution: rolled back
runbooks: [runbooks/rollback.md]
---
# Checkout 503s

Body text.
`,
    );
    expect(parsed).toMatchObject({
      title: "Checkout 503s",
      kind: "incident",
      services: ["checkout-api", "prod-eu-1"],
      tags: ["deploy"],
      aliases: ["CheckoutApi5xxRateHigh", "503"],
      severity: "1",
      updated: "2026-03-20",
      date: "2026-03-14",
      rootCause: "readiness probe pointed at a removed path",
      runbooks: ["runbooks/rollback.md"],
    });
  });

  it("falls back to the first heading, then the file name, for a missing title", () => {
    expect(document("a.md", "Intro\n\n## The **real** `title`\n\ntext").title).toBe(
      "The real title",
    );
    expect(document("runbooks/disk-full_on-node.md", "no headings here").title).toBe(
      "Disk full on node",
    );
  });

  it("keeps unknown frontmatter keys instead of rejecting them", () => {
    const parsed = document("a.md", "---\nteam_channel: '#sre'\nreviewers: [ana, bo]\n---\ntext");
    expect(parsed.extra).toEqual({ team_channel: "#sre", reviewers: ["ana", "bo"] });
  });

  it("treats empty keys as not given", () => {
    const parsed = document("a.md", "---\ntitle: T\nowner:\nservices:\n---\ntext");
    expect(parsed.owner).toBeNull();
    expect(parsed.services).toEqual([]);
  });

  it.each([
    ["runbooks/a.md", "runbook"],
    ["team/incidents/2024/a.md", "incident"],
    ["postmortems/a.md", "incident"],
    ["Post-Mortems/a.md", "incident"],
    ["notes/a.md", "runbook"],
    ["a.md", "runbook"],
  ])("infers kind of %s as %s", (path, kind) => {
    expect(kindFromPath(path)).toBe(kind);
    expect(document(path, "text").kind).toBe(kind);
  });

  it("normalises postmortem kinds written in frontmatter", () => {
    expect(document("a.md", "---\nkind: Postmortem\n---\ntext").kind).toBe("incident");
    expect(document("a.md", "---\nkind: faq\n---\ntext").kind).toBe("faq");
  });

  it.each([
    ["broken YAML", "---\ntitle: [unclosed\n---\ntext", /invalid frontmatter/],
    ["a map where a list belongs", "---\nservices: {a: 1}\n---\ntext", /services/],
    ["a kind with spaces", "---\nkind: run book\n---\ntext", /kind/],
    ["a list as frontmatter", "---\n- a\n- b\n---\ntext", /key: value/],
    ["executable frontmatter", "---js\n{ title: process.exit(1) }\n---\ntext", /not allowed/],
    ["no text", "---\ntitle: Empty\n---\n\n  \n", /no text/],
  ])("rejects %s with a reason", (_name, text, reason) => {
    const result = parse("runbooks/bad.md", text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("rejects bytes that are not UTF-8", () => {
    const result = parse("bad.md", Uint8Array.from([0x23, 0x20, 0xff, 0xfe, 0x41]));
    expect(result).toEqual({ ok: false, reason: "file is not valid UTF-8" });
  });

  it("refuses a YAML alias bomb in the frontmatter, quickly and with the reason", () => {
    // Nine levels of nine aliases: 9^9 strings once expanded (the "billion laughs").
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(", ")}]`);
    }
    const result = parse("bomb.md", `---\n${levels.join("\n")}\n---\n# Bomb\n\ntext`);
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/invalid frontmatter: .*alias/i),
    });
  });

  it("refuses frontmatter longer than 64 KiB", () => {
    const result = parse("long.md", `---\nnote: "${"x".repeat(70_000)}"\n---\n# Long\n\ntext`);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/longer than 65536/) });
  });

  it("still reads ordinary anchors and aliases", () => {
    const parsed = document(
      "a.md",
      "---\nservices: &s [cart-service]\nowner_services: *s\n---\ntext",
    );
    expect(parsed.services).toEqual(["cart-service"]);
    expect(parsed.extra).toEqual({ owner_services: ["cart-service"] });
  });

  it("ignores a UTF-8 byte order mark before the frontmatter", () => {
    expect(document("a.md", "\ufeff---\ntitle: With BOM\n---\ntext").title).toBe("With BOM");
  });

  it("adds a leading H1 that differs from the title to the aliases", () => {
    const named = document(
      "a.md",
      "---\ntitle: Kube pod crash looping\naliases: [CrashLoopBackOff]\n---\n# `KubePodCrashLooping`\n\ntext",
    );
    expect(named.aliases).toEqual(["CrashLoopBackOff", "KubePodCrashLooping"]);
    expect(document("b.md", "---\ntitle: Disk full\n---\n# Disk full\n\ntext").aliases).toEqual([]);
    expect(document("c.md", "# Only a heading\n\ntext").aliases).toEqual([]);
  });
});
