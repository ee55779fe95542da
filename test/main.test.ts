import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFeatureHashEmbedder } from "../src/embed/feature-hash-embedder.js";
import { runIngest } from "../src/ingest/run-ingest.js";
import { openKbIndex } from "../src/store/kb-index.js";
import { truncateDataFiles } from "./helpers/damage-index.js";
import { startFakeOpenAI } from "./helpers/fake-openai.js";
import { readSse, type SseEvent } from "./helpers/read-sse.js";
import {
  childrenOf,
  compiledServer,
  freePort,
  isRunning,
  repoRoot,
  runNode,
} from "./helpers/run-node.js";
import { fixtureKbDir } from "./helpers/start-app.js";
import { makeTempDir } from "./helpers/temp-dir.js";
import { waitFor } from "./helpers/wait-for.js";

describe("npm start (the compiled dist/server/main.js)", () => {
  it("ingests a missing index, serves it, re-ingests over HTTP, and shuts down cleanly on SIGTERM", async () => {
    const root = await makeTempDir();
    const kbDir = join(root, "kb");
    await cp(fixtureKbDir, kbDir, { recursive: true });
    const port = await freePort();
    const { child, output, exit } = runNode([compiledServer], {
      KB_DIR: kbDir,
      KB_DB: join(root, "db"),
      PORT: String(port),
      ADMIN_API_KEY: "admin-key-for-the-test-0123456789",
    });
    try {
      await waitFor(
        () => output.stderr.includes('"message":"listening"'),
        "the server to listen",
        20_000,
      );
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({
        status: "ready",
        documents: 5,
        mode: "extractive",
      });
      expect(output.stderr).toContain('"message":"index up to date"');
      // The prompt files ship with the build (dist/server/prompts/), validated at start-up.
      expect(output.stderr).toMatch(
        /"message":"prompt loaded".*"name":"ask","version":"grounded-v2"/,
      );
      expect(output.stderr).toMatch(
        /"message":"prompt loaded".*"name":"draft-reply","version":"draft-reply-v1"/,
      );
      // The widget and demo page come from the build's files, not from a bundler at start.
      const widget = await fetch(`http://127.0.0.1:${port}/widget.js`);
      expect(widget.status).toBe(200);
      expect(await widget.text()).toContain("kb-answer");
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toContain('<script src="/widget.js" defer></script>');

      // The ingest runs in a child process: a new runbook is in the summary and then served.
      await writeFile(
        join(kbDir, "runbooks", "rotate-certificate.md"),
        "---\ntitle: Rotate the TLS certificate\n---\n# Rotate the TLS certificate\n\n## Steps\n\n1. Run `certbot renew --cert-name edge`.\n",
      );
      const reingest = await fetch(`http://127.0.0.1:${port}/v1/admin/ingest`, {
        method: "POST",
        headers: { authorization: "Bearer admin-key-for-the-test-0123456789" },
      });
      expect(reingest.status).toBe(200);
      expect(await reingest.json()).toMatchObject({ added: 1, unchanged: 5, failed: 0 });
      // The server sees the new generation at its next index refresh.
      let firstPath: string | undefined;
      for (
        let attempt = 0;
        attempt < 100 && firstPath !== "runbooks/rotate-certificate.md";
        attempt++
      ) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        const found = await fetch(`http://127.0.0.1:${port}/v1/search`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ question: "certbot renew edge certificate" }),
        });
        firstPath = ((await found.json()) as { results: { path: string }[] }).results[0]?.path;
      }
      expect(firstPath).toBe("runbooks/rotate-certificate.md");
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("on SIGTERM lets open answers finish within the grace, ends the rest with shutting_down, exits 0", async () => {
    const root = await makeTempDir();
    const fake = await startFakeOpenAI();
    // The first answer stalls after one token (it can never finish); the second takes ~1 s.
    fake.enqueue("/v1/chat/completions", { kind: "stall", afterChunks: 1 });
    fake.chatReply = {
      chunks: Array.from({ length: 10 }, (_, n) => `part ${n} `),
      delayMs: 100,
      finishReason: "stop",
    };
    const port = await freePort();
    const graceMs = 3_000;
    const { child, output, exit } = runNode([compiledServer], {
      KB_DIR: fixtureKbDir,
      KB_DB: join(root, "db"),
      PORT: String(port),
      OPENAI_BASE_URL: fake.baseURL,
      CHAT_MODEL: "fake-chat",
      SHUTDOWN_GRACE_MS: String(graceMs),
    });
    const openStream = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
      });
      const events: SseEvent[] = [];
      const read = (async () => {
        for await (const item of readSse(response)) if ("event" in item) events.push(item);
      })();
      await waitFor(() => events.some((event) => event.event === "delta"), "a first delta");
      return { events, read };
    };
    try {
      await waitFor(
        () => output.stderr.includes('"message":"listening"'),
        "the server to listen",
        30_000,
      );
      const stalled = await openStream();
      const finishing = await openStream();
      child.kill("SIGTERM");
      await Promise.all([stalled.read, finishing.read]);
      expect(finishing.events.at(-1)).toMatchObject({ event: "done", data: { mode: "llm" } });
      expect(stalled.events.at(-1)).toMatchObject({
        event: "error",
        data: { code: "shutting_down", message: expect.stringMatching(/ask again/i) },
      });
      expect(stalled.events.filter((event) => event.event === "done")).toEqual([]);
      expect(await exit).toBe(0);
      expect(output.stderr).toContain(
        '"message":"ended answers still open at the deadline","ended":1',
      );
      // The stalled model call was given up, not left hanging.
      expect(
        fake.abandoned.filter((request) => request.path === "/v1/chat/completions"),
      ).toHaveLength(1);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await fake.close();
    }
  });

  it("serves /metrics without a key on METRICS_PORT, counting the start-up ingest", async () => {
    const root = await makeTempDir();
    const [port, metricsPort] = [await freePort(), await freePort()];
    const { child, output, exit } = runNode([compiledServer], {
      KB_DIR: fixtureKbDir,
      KB_DB: join(root, "db"),
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    });
    try {
      await waitFor(
        () => output.stderr.includes('"message":"listening"'),
        "the server to listen",
        30_000,
      );
      await waitFor(
        () => output.stderr.includes('"message":"serving metrics"'),
        "the metrics port",
      );
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toContain('kb_ingest_runs_total{trigger="start",outcome="succeeded"} 1');
      expect(text).toContain('kb_ingest_documents_total{outcome="added"} 5');
      expect(text).toContain("kb_index_generation 1");
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      // Only /metrics there; and without ADMIN_API_KEY, no /metrics on the main port.
      expect((await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("names the fix in one line when the index is damaged, serves on, and heals after --force", async () => {
    const root = await makeTempDir();
    const kbDir = join(root, "kb");
    const db = join(root, "db");
    await cp(fixtureKbDir, kbDir, { recursive: true });
    const embedder = createFeatureHashEmbedder();
    const index = await openKbIndex(db);
    await runIngest({ kbDir, index, embedder });
    index.close();
    await truncateDataFiles(db, "chunks_g1");

    const port = await freePort();
    const child = spawn(process.execPath, [compiledServer], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", KB_DIR: kbDir, KB_DB: db, PORT: String(port) },
    });
    let stderr = "";
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      await waitFor(() => stderr.includes('"message":"listening"'), "the server to listen", 20_000);
      const plainLines = stderr.split("\n").filter((line) => line !== "" && !line.startsWith("{"));
      expect(plainLines.filter((line) => !line.includes("WARN"))).toEqual([
        expect.stringMatching(/cannot be read: .*Rebuild it with `npm run ingest -- --force`\.$/),
      ]);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ code: "index_unreadable" });

      const rebuilding = await openKbIndex(db);
      await runIngest({ kbDir, index: rebuilding, embedder, force: true, swapGraceMs: 0 });
      rebuilding.close();
      let status = 0;
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        status = (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("stops when npm start itself gets SIGTERM, leaving no server behind", async () => {
    const root = await makeTempDir();
    const port = await freePort();
    // npm runs the script through sh; without `exec` the server outlived npm, orphaned.
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? root,
        KB_DIR: fixtureKbDir,
        KB_DB: join(root, "db"),
        PORT: String(port),
      },
    });
    let stderr = "";
    npm.stderr.on("data", (data) => {
      stderr += data;
    });
    const npmExit = new Promise((resolve) => npm.on("exit", resolve));
    try {
      await waitFor(() => stderr.includes('"message":"listening"'), "the server to listen", 30_000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      npm.kill("SIGTERM");
      await npmExit;
      await waitFor(() => stderr.includes('"message":"shutting down"'), "the server to shut down");
      let listening = true;
      for (let attempt = 0; attempt < 100 && listening; attempt++) {
        listening = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => true,
          () => false,
        );
        if (listening) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(listening).toBe(false);
    } finally {
      if (npm.exitCode === null) npm.kill("SIGKILL");
    }
  });

  it("on SIGTERM during its start-up ingest, stops the ingest process too", {
    timeout: 30_000,
  }, async () => {
    const root = await makeTempDir();
    const kbDir = join(root, "kb");
    await cp(fixtureKbDir, kbDir, { recursive: true });
    // Enough documents that the ingest is still running when the signal comes.
    for (let n = 0; n < 400; n++) {
      await writeFile(
        join(kbDir, "runbooks", `generated-${n}.md`),
        `---\ntitle: Generated runbook ${n}\n---\n# Generated runbook ${n}\n\n## Steps\n\n1. Restart service ${n}.\n`,
      );
    }
    const { child, exit } = runNode([compiledServer], {
      KB_DIR: kbDir,
      KB_DB: join(root, "db"),
      PORT: String(await freePort()),
    });
    try {
      let ingestPid: number | undefined;
      for (let attempt = 0; attempt < 1000 && ingestPid === undefined; attempt++) {
        ingestPid = childrenOf(child.pid ?? 0)[0];
        if (ingestPid === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(ingestPid).toBeDefined();
      await waitFor(
        () => existsSync(join(root, "db", "ingest.lock")),
        "the ingest to take its lock",
        10_000,
      );
      child.kill("SIGTERM");
      await exit;
      for (let attempt = 0; attempt < 100 && isRunning(ingestPid ?? 0); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(isRunning(ingestPid ?? 0)).toBe(false);
      // Stopped as `ingest` is on a signal, releasing its lock, rather than crashing on its next
      // write to a server that is gone.
      expect(existsSync(join(root, "db", "ingest.lock"))).toBe(false);
      // Stopped, not left to finish on its own: the next ingest still finds documents to add.
      const index = await openKbIndex(join(root, "db"));
      try {
        const next = await runIngest({ kbDir, index, embedder: createFeatureHashEmbedder() });
        expect(next.added).toBeGreaterThan(0);
      } finally {
        index.close();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("says the port is in use, without a stack trace, when another process holds it", async () => {
    const root = await makeTempDir();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const address = holder.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    try {
      const { child, output } = runNode([compiledServer], {
        KB_DIR: fixtureKbDir,
        KB_DB: join(root, "db"),
        PORT: String(address.port),
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code).toBe(1);
      expect(output.stderr).toContain(`127.0.0.1:${address.port} is already in use`);
      expect(output.stderr).toContain("PORT");
      expect(output.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("never writes a configured key to its log, even when the model endpoint echoes it", async () => {
    const root = await makeTempDir();
    const fake = await startFakeOpenAI();
    const modelKey = "sk-test-0123456789abcdefghij";
    const portalKey = "portal-key-0123456789abcdef";
    // The endpoint answers with the caller's key in its error text, as some providers do.
    fake.enqueue("/v1/chat/completions", {
      kind: "status",
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${modelKey}`, type: "auth" } },
    });
    const port = await freePort();
    const { child, output } = runNode([compiledServer], {
      KB_DIR: fixtureKbDir,
      KB_DB: join(root, "db"),
      PORT: String(port),
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: modelKey,
      CHAT_MODEL: "fake-chat",
      CHAT_MAX_RETRIES: "0",
      API_KEYS: `portal:${portalKey}`,
      LOG_LEVEL: "debug",
    });
    child.stdout.on("data", (data) => {
      output.stderr += data;
    });
    const exit = new Promise((resolve) => child.on("close", resolve));
    try {
      await waitFor(
        () => output.stderr.includes('"message":"listening"'),
        "the server to listen",
        30_000,
      );
      const response = await fetch(`http://127.0.0.1:${port}/v1/ask`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${portalKey}` },
        body: JSON.stringify({ question: "How do I roll back checkout-api?" }),
      });
      expect(await response.text()).toContain("event: done");
      await waitFor(() => output.stderr.includes("model failed"), "the model failure to be logged");
      child.kill("SIGTERM");
      await exit;
      expect(output.stderr).toContain("[redacted]");
      expect(output.stderr).not.toContain(modelKey);
      expect(output.stderr).not.toContain(portalKey);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await fake.close();
    }
  });

  it("refuses to start on a bad setting, naming it", async () => {
    const child = spawn(process.execPath, [compiledServer], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", PORT: "eighty" },
    });
    let stderr = "";
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("PORT");
  });
});
