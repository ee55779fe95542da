import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import OpenAI from "openai";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ChatModel } from "../../src/model/chat-model.js";
import { hasChromium, launchChromium, type PortalServer, startPortal } from "../helpers/browser.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { startTestApp, type TestApp } from "../helpers/start-app.js";
import { writeFiles } from "../helpers/temp-dir.js";
import { ticketHistory } from "../helpers/ticket-history.js";
import { waitFor } from "../helpers/wait-for.js";

if (!hasChromium) {
  process.stderr.write(
    "Skipping the browser tests: no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH).\n",
  );
}

/** Set SAVE_SCREENSHOTS=1 to refresh the README's screenshot. */
const screenshotPath = join(import.meta.dirname, "screenshots", "widget-mid-answer.png");

describe.skipIf(!hasChromium)("the <kb-answer> widget in Chromium", () => {
  let browser: Browser;
  let portal: PortalServer;
  let fake: FakeOpenAI;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    [browser, portal, fake] = await Promise.all([
      launchChromium(),
      startPortal(),
      startFakeOpenAI(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), portal?.close(), fake?.close()]);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  const chatModel = (): ChatModel => ({
    client: new OpenAI({ baseURL: fake.baseURL, apiKey: "test-key", maxRetries: 0 }),
    model: "fake-chat",
    // Room for the 3,000-level nesting test's answer (8 characters a token on our side).
    maxTokens: 1_000,
    temperature: 0,
    timeoutMs: 10_000,
    totalTimeoutMs: 60_000,
  });

  /** The real app, serving the widget, allowing the portal's origin unless told otherwise. */
  const startApp = async (
    options: { chat?: boolean; corsOrigins?: string[]; tools?: boolean } = {},
  ) => {
    const app = await startTestApp({
      widget: true,
      ...(options.chat ? { chat: chatModel() } : {}),
      ...(options.tools ? { tools: { maxSteps: 2 } } : {}),
      config: { corsOrigins: options.corsOrigins ?? [portal.origin] },
    });
    apps.push(app);
    return app;
  };

  /** A portal page on another origin that embeds the widget the way the README says. */
  const openPortal = async (app: TestApp, widgetHtml: string): Promise<Page> => {
    const url = portal.page(
      `/page-${Math.random().toString(36).slice(2)}`,
      `<!doctype html><html><head><meta charset="utf-8"><title>Service catalogue</title></head>
<body><h1>checkout-api</h1>${widgetHtml}
<script src="${app.baseUrl}/widget.js"></script></body></html>`,
    );
    const page = await browser.newPage({ viewport: { width: 820, height: 900 } });
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => customElements.get("kb-answer") !== undefined);
    expect(pageErrors).toEqual([]);
    return page;
  };

  const state = (page: Page) => page.locator("kb-answer").getAttribute("state");
  const waitForState = (page: Page, ...states: string[]) =>
    page.waitForFunction(
      (wanted) => wanted.includes(document.querySelector("kb-answer")?.getAttribute("state") ?? ""),
      states,
    );
  const answerText = async (page: Page) =>
    (await page.locator("kb-answer .answer").textContent()) ?? "";

  it("answers on a portal page from an allowed origin, showing text before the answer is done", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = {
      chunks: [
        "Roll back with Argo CD first [1].\n\n",
        "1. Disable auto-sync.\n",
        "2. Run `argocd app rollback` with the previous history id.\n",
        "3. Watch the pods become ready.\n\n",
        "If Argo CD is down, use `kubectl rollout undo` [1].",
      ],
      delayMs: 250,
      finishReason: "stop",
    };
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?" autoask></kb-answer>`,
    );

    // Part of the answer is on screen while the stream is still running.
    await page.waitForFunction(() => {
      const host = document.querySelector("kb-answer");
      const text = host?.shadowRoot?.querySelector(".answer")?.textContent ?? "";
      return host?.getAttribute("state") === "streaming" && text.includes("Disable auto-sync");
    });
    const partial = await answerText(page);
    expect(partial).not.toContain("kubectl rollout undo");
    expect(await page.locator("kb-answer .source").count()).toBeGreaterThan(0);
    if (process.env.SAVE_SCREENSHOTS) {
      await mkdir(join(import.meta.dirname, "screenshots"), { recursive: true });
      await page.locator("kb-answer").screenshot({ path: screenshotPath });
    }

    await waitForState(page, "done");
    const final = await answerText(page);
    expect(final).toContain("kubectl rollout undo");
    expect(final.length).toBeGreaterThan(partial.length);
    // Markdown renders as structure: the steps are a list, the command is code.
    expect(await page.locator("kb-answer .answer ol > li").count()).toBe(3);
    expect(
      await page.locator("kb-answer .answer code", { hasText: "argocd app rollback" }).count(),
    ).toBe(1);
    await page.close();
  });

  it("shows an error naming CORS when the portal's origin is not allowed", async () => {
    const app = await startApp({ chat: true, corsOrigins: [] });
    const chatCalls = fake.requests.length;
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?" autoask></kb-answer>`,
    );
    await waitForState(page, "error");
    const status = await page.locator("kb-answer .status").textContent();
    expect(status).toContain("CORS_ORIGINS");
    expect(status).toContain("network_error");
    expect(fake.requests.length).toBe(chatCalls);
    await page.close();
  });

  it("opens the exact cited section when a citation is clicked", async () => {
    const app = await startApp();
    const page = await openPortal(
      app,
      `<kb-answer question="how do I roll back a bad deploy" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    // The first citation in the answer, whichever source it names.
    const citation = page.locator("kb-answer .answer a.cite").first();
    const n = await citation.getAttribute("data-n");
    const href = await citation.getAttribute("href");
    expect(href).toMatch(new RegExp(`^${app.baseUrl}/v1/sections/[0-9a-f]{24}`));

    const section = (await (await fetch(href ?? "")).json()) as { text: string; title: string };
    await citation.click();
    const shown = page.locator(`kb-answer #section-${n}`);
    await expect.poll(() => shown.isVisible()).toBe(true);
    // The section's first words, rendered: the citation landed on the right section.
    const firstWords = section.text
      .replace(/^\s*(\d+\.|[-*+])\s+/gm, "")
      .replace(/[`*_#>|-]/g, " ")
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 4)
      .join(" ");
    await expect.poll(async () => normalise(await shown.textContent())).toContain(firstWords);
    // Focus moved to the opened section, so keyboard users land on it too.
    expect(
      await page.evaluate(
        () => document.querySelector("kb-answer")?.shadowRoot?.activeElement?.id ?? "",
      ),
    ).toBe(`section-${n}`);
    await page.close();
  });

  it("shows a ticket's catalogue service as a source whose owner line opens in place", async () => {
    const app = await startApp();
    await writeFiles(app.kbDir, {
      "services.yaml": [
        'version: "1"',
        "services:",
        "  - { name: checkout-api, owner: payments-team, on_call: { rotation: payments-primary }, tier: 1 }",
      ].join("\n"),
    });
    await waitFor(
      () => app.logs.some((log) => log.message === "service catalogue loaded"),
      "the service catalogue",
    );
    const page = await openPortal(
      app,
      `<kb-answer question="how do I roll back a bad deploy" data-ticket-service="checkout-api" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    const owner = "checkout-api is owned by payments-team; on call: payments-primary; tier 1";
    expect(normalise(await answerText(page))).toContain(normalise(owner));
    const item = page.locator("kb-answer li.source").last();
    expect(await item.locator(".meta").textContent()).toBe("service · services.yaml");
    const n = await item.getAttribute("data-n");
    // A citation of the service leads to its entry in the list, not to a section.
    expect(
      await page.locator(`kb-answer .answer a.cite[data-n="${n}"]`).first().getAttribute("href"),
    ).toBe(`#source-${n}`);
    await item.locator("a.title").click();
    await expect
      .poll(async () => normalise(await item.locator(".section").textContent()))
      .toBe(normalise(`${owner}.`));
    await page.close();
  });

  it("stops on the stop button, which aborts the model request upstream", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = {
      chunks: Array.from({ length: 40 }, (_, index) => `word${index} `),
      delayMs: 200,
      finishReason: "stop",
    };
    const abandonedBefore = fake.abandoned.length;
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?" autoask></kb-answer>`,
    );
    await page.waitForFunction(
      () =>
        (
          document.querySelector("kb-answer")?.shadowRoot?.querySelector(".answer")?.textContent ??
          ""
        ).length > 0,
    );
    await page.locator("kb-answer button.stop").click();
    await waitForState(page, "stopped");
    await waitFor(
      () =>
        fake.abandoned.some(
          (request, index) => index >= abandonedBefore && request.path === "/v1/chat/completions",
        ),
      "the model request to be aborted",
    );
    const stoppedText = await answerText(page);
    expect(stoppedText).not.toContain("word39");
    await page.waitForTimeout(500);
    expect(await answerText(page)).toBe(stoppedText);
    expect(await page.locator("kb-answer button.stop").isHidden()).toBe(true);
    await page.close();
  });

  it("works from the keyboard: Tab in, Enter asks, Tab to Stop, Escape stops, Enter opens a citation", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = {
      chunks: [
        "Roll back first [1]. ",
        ...Array.from({ length: 40 }, (_, index) => `step${index} `),
      ],
      delayMs: 150,
      finishReason: "stop",
    };
    const page = await openPortal(app, "<kb-answer></kb-answer>");
    const focused = () =>
      page.evaluate(() => {
        const active = document.querySelector("kb-answer")?.shadowRoot?.activeElement;
        return active ? `${active.tagName.toLowerCase()}.${active.className || active.id}` : "";
      });

    await page.keyboard.press("Tab");
    expect(await focused()).toBe("textarea.kb-question");
    await page.keyboard.type("How do I roll back checkout-api?");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() =>
      (
        document.querySelector("kb-answer")?.shadowRoot?.querySelector(".answer")?.textContent ?? ""
      ).includes("step"),
    );
    // Ask is disabled while answering, so the next stop is Stop.
    await page.keyboard.press("Tab");
    expect(await focused()).toBe("button.stop");
    await page.keyboard.press("Escape");
    await waitForState(page, "stopped");

    await page.locator('kb-answer .answer a.cite[data-n="1"]').focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("kb-answer #section-1").isVisible()).toBe(true);
    expect(await focused()).toBe("div.section");
    await page.close();
  });

  it("keeps a thread: a follow-up is sent with the previous turn as history, and New question clears it", async () => {
    const app = await startApp();
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?" autoask></kb-answer>`,
    );
    const sent: { history?: { question: string; answer: string; citations: string[] }[] }[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/v1/ask")) sent.push(request.postDataJSON());
    });
    await waitForState(page, "done");
    const firstAnswer = await answerText(page);
    const firstSources = await page.locator("kb-answer .source").count();
    expect(firstSources).toBeGreaterThan(0);

    await page.locator("kb-answer textarea").fill("and what if the rollback itself fails?");
    await page.locator("kb-answer textarea").press("Enter");
    await waitForState(page, "done");
    expect(sent[0]?.history).toEqual([
      {
        question: "How do I roll back checkout-api?",
        answer: expect.stringContaining("rollout undo"),
        citations: expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{24}/)]),
      },
    ]);
    // The first turn stays on screen above the follow-up's answer.
    expect(await page.locator("kb-answer .thread .turn").count()).toBe(1);
    expect(await page.locator("kb-answer .thread .q").textContent()).toBe(
      "How do I roll back checkout-api?",
    );
    expect(await page.locator("kb-answer .thread .turn").textContent()).toContain(
      firstAnswer.slice(0, 40),
    );

    await page.locator("kb-answer button", { hasText: "New question" }).click();
    expect(await state(page)).toBe("idle");
    expect(await page.locator("kb-answer .thread .turn").count()).toBe(0);
    expect(await answerText(page)).toBe("");
    await page.locator("kb-answer textarea").fill("certificate expired on the CDN");
    await page.locator("kb-answer textarea").press("Enter");
    await waitForState(page, "done", "no-answer");
    expect(sent[1]?.history).toBeUndefined();
    await page.close();
  });

  it("shows each tool call as a collapsible step and dispatches a proposed action for the portal", async () => {
    const app = await startApp({ chat: true, tools: true });
    fake.enqueueChatReplies({
      chunks: [],
      toolCalls: [
        { id: "s", name: "search_kb", arguments: '{"query":"redis max clients"}' },
        { id: "bad", name: "search_kb", arguments: '{"query":5}' },
        {
          id: "p",
          name: "propose_assignment",
          arguments: '{"team":"payments-team","priority":"P1","reason":"checkout is theirs"}',
        },
      ],
    });
    fake.chatReply = { chunks: ["Proposed payments-team [1]."], delayMs: 1, finishReason: "stop" };
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?"></kb-answer>`,
    );
    await page.evaluate(() => {
      const seen: unknown[] = [];
      Object.assign(window, { proposed: seen });
      document.addEventListener("kb-proposed-action", (event) =>
        seen.push((event as CustomEvent).detail),
      );
    });
    const sourcesBefore = async () => page.locator("kb-answer .source").count();
    await page.locator("kb-answer button", { hasText: "Ask" }).click();
    await waitForState(page, "done");

    const steps = page.locator("kb-answer details.step");
    expect(await steps.count()).toBe(3);
    expect(await steps.nth(0).locator("summary").textContent()).toBe("Tool: search_kb ✓");
    expect(await steps.nth(1).locator("summary").textContent()).toBe(
      "Tool: search_kb ✗ invalid_arguments",
    );
    // Collapsed until opened: the arguments and the result are inside.
    expect(await steps.nth(0).getAttribute("open")).toBeNull();
    await steps.nth(0).locator("summary").click();
    expect(await steps.nth(0).locator("pre").first().textContent()).toContain("redis max clients");
    // The sections the tool found are listed as sources.
    expect(await sourcesBefore()).toBeGreaterThan(5);
    expect(await page.locator("kb-answer .action").textContent()).toContain(
      "payments-team · P1 — checkout is theirs",
    );
    expect(
      await page.evaluate(() => (window as unknown as { proposed: unknown[] }).proposed),
    ).toEqual([
      expect.objectContaining({
        type: "proposed_action",
        team: "payments-team",
        priority: "P1",
        delivery: "portal",
      }),
    ]);
    await page.close();
  });

  it("says so when the knowledge base has no answer, in extractive mode", async () => {
    const app = await startApp();
    const page = await openPortal(
      app,
      `<kb-answer question="what is the best sourdough bread recipe" autoask></kb-answer>`,
    );
    await waitForState(page, "no-answer");
    expect(await page.locator("kb-answer .status").textContent()).toContain("No answer");
    expect(await answerText(page)).toContain("does not seem to cover");
    await page.close();
  });

  it("labels extractive answers and shows model failures as an error state", async () => {
    const extractive = await startApp();
    const page = await openPortal(
      extractive,
      `<kb-answer question="redis connection pool exhausted" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    expect(await page.locator("kb-answer .note").textContent()).toContain("Extractive answer");
    await page.close();

    const withModel = await startApp({ chat: true });
    fake.chatReply = {
      chunks: ["Raise ", "the pool ", "size [1]."],
      delayMs: 5,
      finishReason: "stop",
    };
    fake.enqueue("/v1/chat/completions", { kind: "cut", afterChunks: 2 });
    const failing = await openPortal(
      withModel,
      `<kb-answer question="redis connection pool exhausted" autoask></kb-answer>`,
    );
    await waitForState(failing, "error");
    expect(await failing.locator("kb-answer .status").textContent()).toContain("upstream_error");
    expect(await failing.locator("kb-answer .status").getAttribute("role")).toBe("alert");
    await failing.close();
  });

  it("notes that the model failed when the answer was extracted from the sources instead", async () => {
    const app = await startApp({ chat: true });
    fake.enqueue("/v1/chat/completions", { kind: "status", status: 500 });
    // The portal listens before the widget loads, as a portal reacting to warnings would.
    const page = await openPortal(
      app,
      `<script>window.warnings = [];
document.addEventListener("kb-answer-warning", (event) => window.warnings.push(event.detail.code));</script>
<kb-answer question="redis connection pool exhausted" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    expect(
      await page.evaluate(() => (window as unknown as { warnings: string[] }).warnings),
    ).toEqual(["upstream_error"]);
    // An answer, not an error: the extractive one, with a note saying why.
    expect(await answerText(page)).toContain("redis");
    const note = page.locator('kb-answer .note[data-code="upstream_error"]');
    expect(await note.textContent()).toMatch(/model endpoint failed.*extracted from the sources/);
    expect(await page.locator("kb-answer .note").count()).toBe(1);
    expect(await page.locator("kb-answer .status").getAttribute("role")).toBe("status");
    await page.close();
  });

  it("marks citations the model made up and flags an answer that cites nothing", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = {
      chunks: ["Raise the pool size [1], ", "as [9] says."],
      delayMs: 5,
      finishReason: "stop",
    };
    const page = await openPortal(
      app,
      `<kb-answer question="redis connection pool exhausted" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    expect(await page.locator("kb-answer .answer a.cite").count()).toBe(1);
    const madeUp = page.locator("kb-answer .answer .cite.unknown");
    expect(await madeUp.textContent()).toBe("[9]");
    expect(await madeUp.getAttribute("title")).toMatch(/not among the sources/i);
    expect(
      await page.locator('kb-answer .note[data-code="unknown_citation"]').textContent(),
    ).toMatch(/\[9\]/);
    expect(await page.locator('kb-answer .note[data-kind="ungrounded"]').count()).toBe(0);

    fake.chatReply = { chunks: ["Raise the pool size."], delayMs: 5, finishReason: "stop" };
    await page.evaluate(() =>
      (document.querySelector("kb-answer") as HTMLElement & { ask(): Promise<void> }).ask(),
    );
    await waitForState(page, "done");
    expect(await page.locator("kb-answer .note").count()).toBe(1);
    expect(await page.locator('kb-answer .note[data-kind="ungrounded"]').textContent()).toMatch(
      /cites none of the sources/,
    );
    expect(await page.locator("kb-answer .cite.unknown").count()).toBe(0);
    await page.close();
  });

  it("renders markup from the knowledge base, the ticket and the model as inert text", async () => {
    const payload = `<img src=x onerror="window.__pwned='img'"> <script>window.__pwned='script'</script>`;
    const app = await startApp({ chat: true });
    await writeFiles(app.kbDir, {
      "runbooks/zebra-gateway.md": `---
title: "zebra-gateway <img src=x onerror=\\"window.__pwned='title'\\">"
services: [zebra-gateway]
---
# zebra-gateway timeouts

## Remediation

Restart the zebra-gateway pods. ${payload}

<script>window.__pwned = 'block'</script>

[more](javascript:window.__pwned='link')
`,
    });
    await app.ingest();
    fake.chatReply = {
      chunks: ["Restart the zebra-gateway pods [1]. ", payload, " [evil](javascript:alert(1))"],
      delayMs: 5,
      finishReason: "stop",
    };
    const ticketTitle = `<img src=x onerror="window.__pwned='ticket'">`;
    const page = await openPortal(
      app,
      `<kb-answer question="zebra-gateway timeouts, what do I do?" autoask
        data-ticket-title="${ticketTitle.replaceAll('"', "&quot;")}"></kb-answer>`,
    );
    await waitForState(page, "done");
    await page.locator('kb-answer .source[data-n="1"] a.title').click();
    await expect
      .poll(async () => page.locator("kb-answer #section-1").textContent())
      .toContain("Restart the zebra-gateway pods");
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    const activeNodes = await page.evaluate(
      () =>
        document
          .querySelector("kb-answer")
          ?.shadowRoot?.querySelectorAll("img, script, iframe, object, embed, [onerror]").length,
    );
    expect(activeNodes).toBe(0);
    expect(await page.locator('kb-answer a[href^="javascript:"]').count()).toBe(0);
    // The markup is shown as the characters it is.
    expect(await answerText(page)).toContain("<img src=x onerror=");
    expect(await page.locator("kb-answer #section-1").textContent()).toContain("<script>");
    expect(await page.locator("kb-answer .source .title").first().textContent()).toContain("<img");
    // The ticket reached the model as data.
    const chatBody = JSON.stringify(fake.requests.at(-1)?.body);
    expect(chatBody).toContain("window.__pwned='ticket'");
    await page.close();
  });

  it("decodes entities as text, shows where a link really goes, and survives hostile nesting", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = {
      chunks: [
        "Run `kubectl get pods` [1]: &lt;b&gt;not bold&lt;/b&gt; &copy; &#x2713;\n\n",
        "Reset at [https://intranet.example/reset](https://evil.example/steal).\n\n",
        `${">".repeat(3_000)} deep\n`,
      ],
      delayMs: 5,
      finishReason: "stop",
    };
    const page = await openPortal(
      app,
      `<kb-answer question="How do I roll back checkout-api?" autoask></kb-answer>`,
    );
    await waitForState(page, "done");
    const text = await answerText(page);
    expect(text).toContain("<b>not bold</b> © ✓");
    expect(await page.locator("kb-answer .answer b").count()).toBe(0);
    const link = page.locator('kb-answer .answer a[href^="https://evil.example"]');
    expect(await link.textContent()).toBe("https://evil.example/steal");
    expect(text).toContain("deep");
    await page.close();
  });

  it("triages a pasted ticket on the demo page: labels with confidence, review notes, similar tickets", async () => {
    const app = await startApp();
    await writeFiles(app.kbDir, { "tickets/history.jsonl": ticketHistory(30) });
    await app.ingest();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${app.baseUrl}/`);
    await page.locator("kb-triage #kb-triage-title").fill("checkout returns 503 for all customers");
    await page
      .locator("kb-triage #kb-triage-description")
      .fill("<img src=x onerror=alert(1)> pay fails");
    await page.locator("kb-triage button").click();
    await page.waitForFunction(
      () => document.querySelector("kb-triage")?.getAttribute("state") === "done",
    );
    const rows = await page.locator("kb-triage tr").allTextContents();
    expect(rows.find((row) => row.startsWith("Team"))).toMatch(/^Teampayments-team\d+%/);
    expect(rows.find((row) => row.startsWith("Priority"))).toMatch(/^PriorityP1\d+%/);
    expect(await page.locator("kb-triage ol.similar li").count()).toBeGreaterThan(0);
    expect(await page.locator("kb-triage ol.similar").textContent()).toContain("payments-team");
    // The pasted markup stays text: no image was made of it.
    expect(await page.locator("kb-triage img").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("serves the demo page at /, whose ticket editor sends the ticket with the question", async () => {
    const app = await startApp({ chat: true });
    fake.chatReply = { chunks: ["Raise the pool size [1]."], delayMs: 5, finishReason: "stop" };
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${app.baseUrl}/`);
    await page.locator("kb-answer summary").click();
    await page.locator("kb-answer #kb-ticket-title").fill("INC-4411 redis pool exhausted");
    await page.locator("kb-answer #kb-ticket-service").fill("cart-service");
    await page.locator("kb-answer #kb-question").fill("what do I do?");
    await page.locator("kb-answer #kb-question").press("Enter");
    await waitForState(page, "done");
    expect(await answerText(page)).toContain("Raise the pool size");
    const ask = fake.requests.at(-1)?.body as { messages: { content: string }[] };
    expect(JSON.stringify(ask.messages)).toContain("INC-4411 redis pool exhausted");
    expect(pageErrors).toEqual([]);
    expect(await state(page)).toBe("done");
    await page.close();
  });

  it("drafts a reply to the demo page's ticket and copies the draft's markdown", async () => {
    const app = await startApp();
    const context = await browser.newContext({
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${app.baseUrl}/`);
    await page.locator("kb-answer summary").click();
    await page.locator("kb-answer #kb-ticket-title").fill("Postgres connection pool exhausted");
    await page.locator("kb-answer #kb-ticket-service").fill("checkout-api");
    expect(await page.locator("kb-answer button.copy").isVisible()).toBe(false);
    await page.locator("kb-answer button.draft").click();
    await waitForState(page, "done");
    expect(await answerText(page)).toContain("Draft reply: check and edit before sending.");
    expect(await page.locator("kb-answer .status").textContent()).toMatch(
      /^Drafted from \d+ sources?/,
    );
    await page.locator("kb-answer button.copy").click();
    await expect.poll(() => page.locator("kb-answer .status").textContent()).toBe("Draft copied.");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^_Draft reply: check and edit before sending\._\n\nHello,/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("asks for the ticket before drafting a reply without one", async () => {
    const app = await startApp();
    const page = await openPortal(app, `<kb-answer draft-reply></kb-answer>`);
    await page.locator("kb-answer button.draft").click();
    await waitForState(page, "error");
    expect(await page.locator("kb-answer .status").textContent()).toContain(
      "Add the ticket to draft a reply to it",
    );
    await page.close();
  });
});

function normalise(text: string | null): string {
  return (text ?? "")
    .replace(/[`*_#>|-]/g, " ")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
}
