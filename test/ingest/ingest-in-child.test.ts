import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KbError } from "../../src/errors.js";
import { createChildIngest } from "../../src/ingest/ingest-in-child.js";
import { acquireWriteLock } from "../../src/store/write-lock.js";
import { repoRoot } from "../helpers/run-node.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** The compiled entry the server runs (vitest's global setup builds it when stale). */
const entry = join(repoRoot, "dist/server/ingest-main.js");

async function kbAndDb() {
  const root = await makeTempDir();
  const kbDir = join(root, "kb");
  await cp(fixtureKbDir, kbDir, { recursive: true });
  return { root, kbDir, db: join(root, "db") };
}

const envFor = (kbDir: string, db: string) => ({
  PATH: process.env.PATH ?? "",
  KB_DIR: kbDir,
  KB_DB: db,
});

async function failureOf(run: () => Promise<unknown>): Promise<KbError> {
  const error = await run().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof KbError)) throw new Error(`expected a KbError, got ${String(error)}`);
  return error;
}

describe("the server's ingest in a process of its own", () => {
  it("ingests the folder, then finds only what changed", async () => {
    const { kbDir, db } = await kbAndDb();
    const ingest = createChildIngest({ entry, env: envFor(kbDir, db) });

    const first = await ingest();
    expect(first.added).toBeGreaterThan(0);
    expect(first.failed).toBe(0);
    expect(first.failures).toEqual([]);

    await writeFile(
      join(kbDir, "runbooks", "new-runbook.md"),
      "---\ntitle: Rotate the TLS certificate\n---\n# Rotate the TLS certificate\n\n## Steps\n\n1. Run `certbot renew`.\n",
    );
    const second = await ingest();
    expect(second).toMatchObject({ added: 1, updated: 0, removed: 0, unchanged: first.added });
  });

  it("reports a failed document in the summary, not as an error", async () => {
    const { kbDir, db } = await kbAndDb();
    await writeFile(join(kbDir, "runbooks", "broken.md"), "---\ntitle: [unclosed\n---\n# Broken\n");
    const summary = await createChildIngest({ entry, env: envFor(kbDir, db) })();
    expect(summary.failed).toBe(1);
    expect(summary.failures).toEqual([
      expect.objectContaining({ path: expect.stringContaining("broken.md") }),
    ]);
  });

  it("rejects with the child's own code: index_busy while another writer holds the lock", async () => {
    const { kbDir, db } = await kbAndDb();
    await mkdir(db, { recursive: true });
    const held = await acquireWriteLock(db);
    try {
      const error = await failureOf(createChildIngest({ entry, env: envFor(kbDir, db) }));
      expect(error.code).toBe("index_busy");
      expect(error.message).toContain("Another ingest is writing");
    } finally {
      await held.release();
    }
  });

  it("rejects a KB folder that is not there with the reason", async () => {
    const { root, db } = await kbAndDb();
    const missing = join(root, "no-such-kb");
    const error = await failureOf(createChildIngest({ entry, env: envFor(missing, db) }));
    expect(error.code).not.toBe("internal");
    expect(error.message).toContain("no-such-kb");
  });

  it("names how a child that printed no summary ended, with what it said", async () => {
    const root = await makeTempDir();
    const crashing = join(root, "crash.mjs");
    await writeFile(crashing, 'process.stderr.write("out of disk space\\n"); process.exit(7);\n');
    const error = await failureOf(createChildIngest({ entry: crashing, env: {} }));
    expect(error.code).toBe("internal");
    expect(error.message).toBe(
      "the ingest process exited with code 7 without a summary: out of disk space",
    );
    await rm(root, { recursive: true, force: true });
  });
});
