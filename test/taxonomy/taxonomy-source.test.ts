import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import type { LogFields, Logger } from "../../src/logger.js";
import { createTaxonomySource } from "../../src/taxonomy/taxonomy-source.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

const taxonomyText = (version: string, category = "Database") => `version: "${version}"
categories: [{ name: ${category} }]
priorities: [{ name: P1 }]
teams: [{ name: data-team }]
`;

function recordingLogger() {
  const warnings: { message: string; fields: LogFields | undefined }[] = [];
  const ignore = () => {};
  const logger: Logger = {
    debug: ignore,
    info: ignore,
    warn: (message, fields) => warnings.push({ message, fields }),
    error: ignore,
  };
  return { logger, warnings };
}

async function startSource(kbDir: string, logger: Logger) {
  const source = createTaxonomySource({ kbDir, logger, watch: true });
  onTestFinished(() => source.close());
  await source.ready;
  return source;
}

describe("createTaxonomySource", () => {
  it("reloads the file when it changes, and is null once it is deleted", async () => {
    const kbDir = await makeTempDir();
    const path = join(kbDir, "taxonomy.yaml");
    await writeFile(path, taxonomyText("1"));
    const { logger } = recordingLogger();
    const source = await startSource(kbDir, logger);
    expect(source.current()?.version).toBe("1");

    await writeFile(path, taxonomyText("2", "Network"));
    await waitFor(() => source.current()?.version === "2", "the edited taxonomy");
    expect(source.current()?.categories.map((label) => label.name)).toEqual(["Network"]);

    await rm(path);
    await waitFor(() => source.current() === null, "the deleted taxonomy to be gone");
  });

  it("picks up a taxonomy file created after start", async () => {
    const kbDir = await makeTempDir();
    const { logger } = recordingLogger();
    const source = await startSource(kbDir, logger);
    expect(source.current()).toBeNull();
    await writeFile(join(kbDir, "taxonomy.yml"), taxonomyText("new"));
    await waitFor(() => source.current()?.version === "new", "the new taxonomy");
  });

  it("keeps the previous taxonomy when the file breaks, and logs the path and why", async () => {
    const kbDir = await makeTempDir();
    const path = join(kbDir, "taxonomy.yaml");
    await writeFile(path, taxonomyText("1"));
    const { logger, warnings } = recordingLogger();
    const source = await startSource(kbDir, logger);

    await writeFile(path, taxonomyText("2").replace("categories:", "categorys:"));
    await waitFor(() => warnings.length > 0, "a warning about the broken file");
    expect(source.current()?.version).toBe("1");
    expect(warnings[0]?.fields).toMatchObject({
      path,
      reason: expect.stringContaining('Unrecognized key: "categorys"'),
      keptVersion: "1",
    });

    await writeFile(path, taxonomyText("3"));
    await waitFor(() => source.current()?.version === "3", "the mended taxonomy");
  });

  it("reads once and never reloads when not watching", async () => {
    const kbDir = await makeTempDir();
    await writeFile(join(kbDir, "taxonomy.yaml"), taxonomyText("1"));
    const { logger, warnings } = recordingLogger();
    const source = createTaxonomySource({ kbDir, logger, watch: false });
    expect(source.current()?.version).toBe("1");
    await source.close();
    await writeFile(join(kbDir, "taxonomy.yaml"), "version: [");
    expect(createTaxonomySource({ kbDir, logger, watch: false }).current()).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});
