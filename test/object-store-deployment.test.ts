import type { ChildProcess } from "node:child_process";
import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openKbIndex } from "../src/store/kb-index.js";
import { acquireWriteLock } from "../src/store/write-lock.js";
import { objectStoreEnv, objectStoreOptions } from "./helpers/object-store-env.js";
import { compiledServer, freePort, runNode as run } from "./helpers/run-node.js";
import { type S3TestServer, startS3TestServer } from "./helpers/s3-server.js";
import { fixtureKbDir } from "./helpers/start-app.js";
import { waitFor } from "./helpers/wait-for.js";

const uri = "s3://kb-bucket/team/index";

/**
 * The deployment README "Beyond one machine" draws, on an S3-compatible server on 127.0.0.1:
 * one writer (the ingest command), two servers started as `npm start` would start them
 * (`node dist/server/main.js`), each with its own copy of the KB folder.
 */
describe("one writer and two read-only servers on an object-store index", () => {
  let s3: S3TestServer;
  let root: string;
  let writerKb: string;
  const servers: { child: ChildProcess; port: number; output: { stderr: string } }[] = [];
  const children: ChildProcess[] = [];

  const ingest = (args: string[] = [], extraEnv: Record<string, string> = {}) => {
    const started = run(["--import", "tsx", "scripts/ingest.ts", "--json", ...args], {
      ...objectStoreEnv(s3, uri),
      KB_DIR: writerKb,
      // Servers refresh every 200 ms: a swapped-out generation needs keeping only briefly.
      INDEX_SWAP_GRACE_MS: "1500",
      ...extraEnv,
    });
    children.push(started.child);
    return started;
  };
  const search = async (port: number, query: string) => {
    const response = await fetch(
      `http://127.0.0.1:${port}/v1/search?q=${encodeURIComponent(query)}&topK=3`,
    );
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return (await response.json()) as { results: { path: string; text: string }[] };
  };
  const storedChunkIds = async () => {
    const index = await openKbIndex(uri, { storageOptions: objectStoreOptions(s3) });
    try {
      const state = await index.readState();
      const table = state.active ? await index.chunkTable(state.active) : undefined;
      const rows = (await table?.query().select(["id"]).toArray()) ?? [];
      return rows.map((row) => String(row.id));
    } finally {
      index.close();
    }
  };

  beforeAll(async () => {
    s3 = await startS3TestServer();
    root = await mkdtemp(join(tmpdir(), "kb-answers-s3-"));
    writerKb = join(root, "writer-kb");
    await cp(fixtureKbDir, writerKb, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    for (const child of [...children, ...servers.map((server) => server.child)])
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await s3?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("ingests from the writer; servers start read-only by default and never write", async () => {
    const first = ingest();
    expect(await first.exit).toBe(0);
    const summary = JSON.parse(first.output.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(summary).toMatchObject({ added: 5, failed: 0 });
    const chunks = summary.chunks as number;

    // Each server has its own, older copy of the KB: it must not roll the writer's index back.
    const serverKb = join(root, "server-kb");
    await cp(fixtureKbDir, serverKb, { recursive: true });
    await appendFile(join(serverKb, "runbooks/disk-full.md"), "\n\nA stale local edit.\n");
    s3.resetCounts();
    for (let number = 0; number < 2; number++) {
      const port = await freePort();
      const server = run([compiledServer], {
        ...objectStoreEnv(s3, uri),
        KB_DIR: serverKb,
        PORT: String(port),
        INDEX_REFRESH_MS: "200",
        RATE_LIMIT_PER_MINUTE: "0",
      });
      servers.push({ child: server.child, port, output: server.output });
    }
    for (const server of servers) {
      await waitFor(
        () => server.output.stderr.includes('"message":"listening"'),
        "a server to listen",
        20_000,
      );
      expect(server.output.stderr).toContain("never writing (INGEST_ON_START=false)");
      const ready = await (await fetch(`http://127.0.0.1:${server.port}/readyz`)).json();
      expect(ready).toMatchObject({ status: "ready", documents: 5 });
    }
    const writes = [...s3.counts].filter(([kind]) => /put|delete|multipart|copy/.test(kind));
    expect(writes).toEqual([]);
    expect(await storedChunkIds()).toHaveLength(chunks);
  });

  it("an edit ingested by the writer reaches both servers", async () => {
    await appendFile(
      join(writerKb, "runbooks/disk-full.md"),
      "\n\n## Quarantine\n\nMove the zorblatt spool to the quarantine volume.\n",
    );
    const edit = ingest();
    expect(await edit.exit).toBe(0);
    for (const server of servers) {
      let found = false;
      const deadline = Date.now() + 10_000;
      while (!found && Date.now() < deadline) {
        const { results } = await search(server.port, "zorblatt spool");
        found = results.some((result) => result.text.includes("zorblatt"));
        if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(found).toBe(true);
    }
  });

  it("serves a rebuild under load with zero failed requests", async () => {
    const rebuild = ingest(["--force"]);
    let requests = 0;
    const failures: string[] = [];
    let done = false;
    void rebuild.exit.then(() => {
      done = true;
    });
    const client = async (port: number) => {
      while (!done) {
        requests++;
        try {
          const { results } = await search(port, "disk full");
          if (results.length === 0) failures.push("no results");
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    await Promise.all(servers.flatMap((server) => [client(server.port), client(server.port)]));
    expect(await rebuild.exit).toBe(0);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
  });

  it("refuses a second writer with exit code 3 naming the holder, and two --force runs at once leave no duplicates", async () => {
    const held = await acquireWriteLock(uri, { storageOptions: objectStoreOptions(s3) });
    try {
      const refused = ingest();
      expect(await refused.exit).toBe(3);
      expect(refused.output.stderr).toContain("ingest failed (index_busy)");
      expect(refused.output.stderr).toContain(`(pid ${process.pid}) holds the lock`);
    } finally {
      await held.release();
    }

    const before = await storedChunkIds();
    const runs = [ingest(["--force"]), ingest(["--force"])];
    const codes = await Promise.all(runs.map((started) => started.exit));
    // Refused while the other holds the lock, or run after it: never both at once.
    expect(codes.every((code) => code === 0 || code === 3)).toBe(true);
    expect(codes).toContain(0);
    const after = await storedChunkIds();
    expect(after).toHaveLength(before.length);
    expect(new Set(after).size).toBe(after.length);
    // Generations the rebuilds swapped out are gone once their grace passed.
    const tables = new Set(
      s3.keys("kb-bucket").map((key) => key.split("/")[2]?.replace(/\.lance$/, "")),
    );
    expect([...tables].filter((name) => name?.startsWith("chunks_g")).length).toBeLessThanOrEqual(
      1,
    );
  });
});
