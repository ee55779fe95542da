import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { LogFields, Logger } from "../../src/logger.js";
import { createPromptSource, type PromptSource } from "../../src/prompts/prompt-source.js";
import { parsePromptFile } from "../../src/prompts/read-prompt-file.js";
import { shippedPromptsDir } from "../../src/prompts/shipped-prompts-dir.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

const recordingLogger = () => {
  const logs: { message: string; fields: LogFields | undefined }[] = [];
  const record = (message: string, fields?: LogFields) => logs.push({ message, fields });
  const logger: Logger = { debug: record, info: record, warn: record, error: record };
  return { logger, logs };
};

const askFile = (
  version: string,
  body = "Answer from the sources; each opens with {{boundary}}.",
) => `---\nversion: ${version}\n---\n${body}\n`;

describe("parsePromptFile", () => {
  it.each([
    ["a missing version", "---\ndescription: x\n---\nUse {{boundary}}.", /version/],
    ["an unknown field", "---\nversion: v1\ntone: warm\n---\nUse {{boundary}}.", /tone/],
    [
      "an unknown placeholder",
      askFile("v1", "Use {{boundary}} and {{question}}."),
      /unknown placeholder \{\{question\}\}/,
    ],
    [
      "a missing placeholder",
      askFile("v1", "No code here."),
      /missing placeholder \{\{boundary\}\}/,
    ],
    ["executable front matter", "---js\n{ version: 'v1' }\n---\nUse {{boundary}}.", /executable/],
    ["broken YAML", "---\nversion: [v1\n---\nUse {{boundary}}.", /invalid front matter/],
  ])("refuses %s, naming the file and the reason", (_case, text, reason) => {
    expect(() => parsePromptFile(text, "ask", "kb/prompts/ask.md", "kb")).toThrow(reason);
    expect(() => parsePromptFile(text, "ask", "kb/prompts/ask.md", "kb")).toThrow(
      /^kb\/prompts\/ask\.md: /,
    );
  });

  it("needs a text per audience for draft-reply", () => {
    const text = "---\nversion: v1\n---\nUse {{boundary}} for {{audience}}.";
    expect(() => parsePromptFile(text, "draft-reply", "p.md", "kb")).toThrow(/audiences/);
  });
});

describe("createPromptSource", () => {
  let source: PromptSource | undefined;
  afterEach(async () => {
    await source?.close();
  });

  it("serves the shipped prompts, and a KB override from <KB_DIR>/prompts/ reloaded on change", async () => {
    const kbDir = await makeTempDir();
    const { logger, logs } = recordingLogger();
    source = createPromptSource({ shippedDir: shippedPromptsDir, kbDir, logger, watch: true });
    await source.ready;
    expect(source.current("ask")).toMatchObject({ version: "grounded-v2", source: "shipped" });
    expect(source.current("draft-reply").audiences).toHaveProperty("reporter");

    // The folder does not exist yet: creating it and a file in it is picked up.
    await mkdir(join(kbDir, "prompts"));
    await writeFile(join(kbDir, "prompts", "ask.md"), askFile("ours-1"));
    await waitFor(() => source?.current("ask").version === "ours-1", "the override to load");
    expect(source.current("ask")).toMatchObject({ source: "kb" });
    expect(source.current("draft-reply").source).toBe("shipped");

    // A broken edit keeps the previous prompt and says why.
    await writeFile(join(kbDir, "prompts", "ask.md"), askFile("ours-2", "Forgot the code."));
    await waitFor(
      () =>
        logs.some((log) => log.message === "prompt file not loaded; keeping the previous prompt"),
      "the broken file to be reported",
    );
    expect(source.current("ask").version).toBe("ours-1");
    const warning = logs.find((log) => log.message.startsWith("prompt file not loaded"));
    expect(warning?.fields).toMatchObject({ keptVersion: "ours-1" });
    expect(String(warning?.fields?.reason)).toMatch(/missing placeholder \{\{boundary\}\}/);

    // Removing the override gives the shipped prompt back.
    await rm(join(kbDir, "prompts", "ask.md"));
    await waitFor(
      () => source?.current("ask").version === "grounded-v2",
      "the shipped prompt back",
    );
  });

  it("starts on the shipped prompt when the KB's override is broken at start-up", async () => {
    const kbDir = await makeTempDir();
    await mkdir(join(kbDir, "prompts"));
    await writeFile(join(kbDir, "prompts", "ask.md"), "---\nversion: 1\n---\n");
    const { logger, logs } = recordingLogger();
    source = createPromptSource({ shippedDir: shippedPromptsDir, kbDir, logger, watch: false });
    expect(source.current("ask").version).toBe("grounded-v2");
    expect(logs.some((log) => log.message.startsWith("prompt file not loaded"))).toBe(true);
  });
});
