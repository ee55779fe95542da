import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { childrenOf, compiledServer, freePort, isRunning, runNode } from "../helpers/run-node.js";
import { fixtureKbDir } from "../helpers/start-app.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait-for.js";

/** Whether a process has LanceDB's native library mapped (Linux: /proc/<pid>/maps). */
const mapsLanceDb = (pid: number) => readFileSync(`/proc/${pid}/maps`, "utf8").includes("lancedb");

describe("WORKERS=2 (the Node cluster module)", () => {
  it("ingests once, answers from two workers, replaces a dead one, and stops them all on SIGTERM", async () => {
    const root = await makeTempDir();
    const port = await freePort();
    const {
      child: primary,
      output: primaryOutput,
      exit,
    } = runNode([compiledServer], {
      KB_DIR: fixtureKbDir,
      KB_DB: join(root, "db"),
      PORT: String(port),
      WORKERS: "2",
    });
    const count = (text: string) => primaryOutput.stderr.split(text).length - 1;
    const pid = primary.pid ?? 0;
    let workers: number[] = [];
    try {
      await waitFor(() => count('"message":"listening"') === 2, "two workers to listen", 30_000);
      expect(count('"message":"index up to date"')).toBe(1);
      const ask = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/v1/ask`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
        });
        return response.text();
      };
      expect(await ask()).toContain("event: done");

      workers = childrenOf(pid);
      expect(workers).toHaveLength(2);
      // The primary only supervises: it never loads what serving needs (LanceDB's library).
      expect(mapsLanceDb(pid)).toBe(false);
      expect(workers.every(mapsLanceDb)).toBe(true);
      process.kill(workers[0] ?? 0, "SIGKILL");
      await waitFor(() => count('"message":"listening"') === 3, "a replacement worker", 30_000);
      expect(childrenOf(pid)).toHaveLength(2);
      expect(await ask()).toContain("event: done");

      workers = childrenOf(pid);
      primary.kill("SIGTERM");
      expect(await exit).toBe(0);
      expect(workers.filter(isRunning)).toEqual([]);
    } finally {
      if (primary.exitCode === null) primary.kill("SIGKILL");
      for (const worker of workers.filter(isRunning)) process.kill(worker, "SIGKILL");
    }
  });

  it("exits with the workers' failure when they cannot listen, instead of restarting them", async () => {
    const root = await makeTempDir();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const address = holder.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    try {
      const { child: primary, output: primaryOutput } = runNode([compiledServer], {
        KB_DIR: fixtureKbDir,
        KB_DB: join(root, "db"),
        PORT: String(address.port),
        WORKERS: "2",
      });
      const code = await new Promise<number | null>((resolve) => primary.on("close", resolve));
      expect(code).toBe(1);
      expect(primaryOutput.stderr).toContain(`127.0.0.1:${address.port} is already in use`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
