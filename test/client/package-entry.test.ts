import { execFile } from "node:child_process";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { makeTempDir, writeFiles } from "../helpers/temp-dir.js";

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, "../..");

/**
 * A portal's own folder with kb-answers in its node_modules (a link to this checkout, as
 * `npm install ../kb-answers` makes one): `kb-answers/client` resolves through package.json
 * `exports` to the compiled files that `npm run build` writes (vitest's setup builds them).
 */
async function makePortal(files: Record<string, string>): Promise<string> {
  const portal = await makeTempDir("kb-portal-");
  await writeFiles(portal, files);
  await mkdir(join(portal, "node_modules"));
  await symlink(repoRoot, join(portal, "node_modules", "kb-answers"), "dir");
  return portal;
}

describe("the kb-answers/client package entry", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it("runs in plain Node: ask, search and section against a real server", async () => {
    const portal = await makePortal({
      "portal.mjs": `
import { createAskClient } from "kb-answers/client";
const client = createAskClient({ baseUrl: process.env.KB_URL });
const events = [];
for await (const event of client.ask({ question: "How do I roll back checkout-api?" })) {
  events.push(event.type);
}
const search = await client.search({ question: "certificate expired on the CDN", topK: 1 });
const section = await client.section(search.data.results[0].id);
process.stdout.write(JSON.stringify({ events, path: search.data.results[0].path, section }));
`,
    });
    const { stdout } = await run(process.execPath, ["portal.mjs"], {
      cwd: portal,
      env: { PATH: process.env.PATH ?? "", KB_URL: app.baseUrl },
    });
    const output = JSON.parse(stdout) as {
      events: string[];
      path: string;
      section: { ok: boolean; data: { path: string } };
    };
    expect(output.events[0]).toBe("sources");
    expect(output.events.at(-1)).toBe("done");
    expect(output.path).toBe("runbooks/certificate-expiry.md");
    expect(output.section).toMatchObject({ ok: true, data: { path: output.path } });
  });

  it("brings its types: a portal's TypeScript narrows events and results and catches typos", async () => {
    const portal = await makePortal({
      "portal.ts": `
import { type ClientEvent, createAskClient } from "kb-answers/client";

const client = createAskClient({ baseUrl: "https://kb.example.internal" });

export async function firstResultScore(): Promise<number | undefined> {
  const result = await client.search({ question: "disk full", filters: { kind: "runbook" } });
  if (!result.ok) return result.error.status;
  return result.data.results[0]?.score;
}

export function promptOf(event: ClientEvent): string | null {
  if (event.type === "done") return event.promptVersion;
  if (event.type === "error") return event.code;
  return null;
}

// @ts-expect-error a typo in an event's field does not compile
export const typo = (event: ClientEvent) => event.type === "delta" && event.txt;
`,
    });
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    const result = await run(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--strict",
        "--skipLibCheck",
        "--module",
        "nodenext",
        "--target",
        "es2022",
        "--lib",
        "es2023,dom,dom.iterable",
        "portal.ts",
      ],
      { cwd: portal },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
    expect(result.stdout).toBe("");
  });
});
