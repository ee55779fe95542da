import {
  type AnswerClient,
  type ClientAskRequest,
  type ClientEvent,
  createAnswerClient,
} from "../client/ask-client.js";
import type { ConversationTurn } from "../contract/conversation-turn.js";
import type { SearchFilters } from "../contract/search-filters.js";
import type { SourceSummary } from "../contract/source-summary.js";
import type { Ticket } from "../contract/ticket.js";
import { element } from "./element.js";
import { renderMarkdown } from "./render-markdown.js";
import { widgetStyles } from "./widget-styles.js";

/** What the widget is doing; reflected as the host's `state` attribute for styling and tests. */
export type WidgetState =
  | "idle"
  | "loading"
  | "streaming"
  | "done"
  | "no-answer"
  | "stopped"
  | "error";

const ticketFields = ["id", "title", "description", "service", "priority", "logs"] as const;

/**
 * The ask contract's bounds on `history` (src/contract/conversation-turn.ts), repeated here:
 * importing them would put that module's schemas into the bundle.
 */
const maxHistoryTurns = 10;
const maxHistoryAnswerChars = 8_000;
const maxHistoryCitations = 20;

/**
 * `<kb-answer>`: ask the knowledge base and watch the cited answer stream in.
 * Everything shown comes from untrusted text (model, KB, ticket) and is built
 * as DOM nodes, never parsed as HTML.
 */
export function defineKbAnswerElement(defaultServer: string, tagName = "kb-answer"): void {
  if (customElements.get(tagName)) return;

  class KbAnswerElement extends HTMLElement {
    static observedAttributes = ["placeholder", "question", "label", "draft-reply"];

    /** A ticket object set from script; wins over the `ticket` attribute and data-ticket-* attributes. */
    ticket: Ticket | undefined;
    /** Filters set from script; win over the kind/services/tags attributes. */
    filters: SearchFilters | undefined;

    readonly #root: ShadowRoot;
    readonly #form: HTMLFormElement;
    readonly #label: HTMLLabelElement;
    readonly #question: HTMLTextAreaElement;
    readonly #askButton: HTMLButtonElement;
    readonly #stopButton: HTMLButtonElement;
    /** Shown with the `draft-reply` attribute: drafts a reply to the ticket instead of answering. */
    readonly #draftButton: HTMLButtonElement;
    /** Shown once a draft is done: copies its markdown. */
    readonly #copyButton: HTMLButtonElement;
    /** Whether the stream shown is an answer or a drafted reply. */
    #mode: "answer" | "draft" = "answer";
    readonly #status: HTMLElement;
    readonly #answer: HTMLElement;
    /** Notes under the answer: how it was made, and anything the reader should check. */
    readonly #notes: HTMLElement;
    readonly #sourcesBox: HTMLElement;
    readonly #sourcesList: HTMLOListElement;
    /** The conversation's earlier turns, each its question and answer, above the current one. */
    readonly #thread: HTMLElement;
    /** Clears the thread: the next question stands alone. */
    readonly #newButton: HTMLButtonElement;
    /** The tool calls of the current answer, each a collapsible step, and proposed actions. */
    readonly #steps: HTMLElement;
    /** What a follow-up sends as `history`, oldest first. */
    #history: ConversationTurn[] = [];
    /** The current answer's question, and whether it finished as a turn of the thread. */
    #asked = "";
    #turnDone = false;
    #ticketEditor: HTMLElement | undefined;
    #controller: AbortController | undefined;
    #answerText = "";
    #sources: SourceSummary[] = [];
    /** Numbers the answer cites that name no source sent, as the server flagged them. */
    #unknownCitations = new Set<number>();
    #renderScheduled = false;

    constructor() {
      super();
      this.#root = this.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = widgetStyles;
      this.#form = element("form", { part: "form", role: "search" });
      this.#label = element("label", {
        htmlFor: "kb-question",
        textContent: "Ask the knowledge base",
      });
      this.#question = element("textarea", {
        id: "kb-question",
        name: "question",
        rows: 2,
        part: "input",
      });
      this.#askButton = element("button", {
        type: "submit",
        className: "primary",
        textContent: "Ask",
        part: "ask-button",
      });
      this.#stopButton = element("button", {
        type: "button",
        className: "stop",
        textContent: "Stop",
        hidden: true,
        part: "stop-button",
      });
      this.#draftButton = element("button", {
        type: "button",
        className: "draft",
        textContent: "Draft reply",
        hidden: true,
        part: "draft-button",
      });
      this.#copyButton = element("button", {
        type: "button",
        className: "copy",
        textContent: "Copy draft",
        hidden: true,
        part: "copy-button",
      });
      this.#newButton = element("button", {
        type: "button",
        textContent: "New question",
        hidden: true,
        part: "new-button",
      });
      const row = element("div", { className: "row" });
      row.append(
        this.#question,
        this.#askButton,
        this.#draftButton,
        this.#stopButton,
        this.#newButton,
      );
      this.#form.append(this.#label, row);
      this.#status = element("p", { className: "status", role: "status", "aria-live": "polite" });
      this.#answer = element("div", { className: "answer", part: "answer" });
      this.#thread = element("div", { className: "thread", part: "thread" });
      this.#steps = element("div", { className: "steps", part: "steps" });
      this.#notes = element("div", { className: "notes", part: "notes" });
      this.#sourcesList = element("ol", {});
      this.#sourcesBox = element("section", {
        className: "sources",
        hidden: true,
        "aria-label": "Sources",
        part: "sources",
      });
      this.#sourcesBox.append(element("h3", { textContent: "Sources" }), this.#sourcesList);
      this.#root.append(
        style,
        this.#form,
        this.#thread,
        this.#status,
        this.#steps,
        this.#answer,
        this.#copyButton,
        this.#notes,
        this.#sourcesBox,
      );

      this.#form.addEventListener("submit", (event) => {
        event.preventDefault();
        void this.ask();
      });
      // Enter asks, Shift+Enter adds a line (long pasted errors need several); Escape stops.
      this.#question.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          void this.ask();
        }
      });
      this.#root.addEventListener("keydown", (event) => {
        if ((event as KeyboardEvent).key === "Escape" && this.#controller) this.stop();
      });
      this.#stopButton.addEventListener("click", () => this.stop());
      this.#draftButton.addEventListener("click", () => void this.draftReply());
      this.#copyButton.addEventListener("click", () => void this.#copyDraft());
      this.#newButton.addEventListener("click", () => this.newQuestion());
    }

    /** Clears the thread and the answer: the next question is asked without history. */
    newQuestion(): void {
      this.stop();
      this.#reset();
      this.#finishControls();
      this.#history = [];
      this.#turnDone = false;
      this.#thread.replaceChildren();
      this.#answer.removeAttribute("aria-busy");
      this.#newButton.hidden = true;
      this.#setState("idle");
      this.#question.focus();
    }

    connectedCallback(): void {
      this.#setState("idle");
      this.#syncAttributes();
      if (this.hasAttribute("ticket-editor") && !this.#ticketEditor) {
        this.#ticketEditor = ticketEditor();
        this.#form.append(this.#ticketEditor);
      }
      if (this.hasAttribute("autoask") && this.#question.value.trim()) void this.ask();
    }

    disconnectedCallback(): void {
      this.stop();
    }

    attributeChangedCallback(): void {
      this.#syncAttributes();
    }

    /** Asks `question` (or what is in the box); a running answer is stopped first. */
    async ask(question?: string): Promise<void> {
      if (question !== undefined) this.#question.value = question;
      const text = this.#question.value.trim();
      if (!text) {
        this.#question.focus();
        return;
      }
      this.stop();
      const controller = new AbortController();
      this.#controller = controller;
      this.#archiveTurn();
      this.#asked = text;
      this.#reset();
      this.#setState("loading", "Searching the knowledge base…");

      let request: ClientAskRequest;
      try {
        const ticket = this.#readTicket();
        const filters = this.#readFilters();
        const topK = Number(this.getAttribute("top-k"));
        request = {
          question: text,
          signal: controller.signal,
          ...(ticket ? { ticket } : {}),
          ...(filters ? { filters } : {}),
          ...(Number.isInteger(topK) && topK > 0 ? { topK } : {}),
          ...(this.#history.length > 0 ? { history: this.#history } : {}),
        };
      } catch (error) {
        this.#finish(controller);
        this.#fail("invalid_request", error instanceof Error ? error.message : String(error));
        return;
      }

      this.#mode = "answer";
      await this.#consume(this.#client().ask(request), controller);
    }

    /**
     * Drafts a first reply to the ticket (set from script, the `ticket` attributes or the
     * editor) for the `audience` attribute: `reporter` (default) or `resolver`.
     */
    async draftReply(): Promise<void> {
      this.stop();
      const controller = new AbortController();
      this.#controller = controller;
      this.#archiveTurn();
      this.#reset();
      this.#mode = "draft";
      let ticket: Ticket | undefined;
      try {
        ticket = this.#readTicket();
      } catch (error) {
        this.#finish(controller);
        this.#fail("invalid_request", error instanceof Error ? error.message : String(error));
        return;
      }
      if (!ticket) {
        this.#finish(controller);
        this.#fail("invalid_request", "Add the ticket to draft a reply to it");
        return;
      }
      this.#setState("loading", "Drafting a reply…");
      const audience = this.getAttribute("audience") === "resolver" ? "resolver" : "reporter";
      await this.#consume(
        this.#client().draftReply({ ticket, audience, signal: controller.signal }),
        controller,
      );
    }

    /** The answer just read joins the thread above, so it stays on screen under what comes next. */
    #archiveTurn(): void {
      if (!this.#turnDone) return;
      this.#turnDone = false;
      const turn = element("div", { className: "turn" });
      turn.append(
        element("p", { className: "q", textContent: this.#asked }),
        renderMarkdown(document, this.#answerText),
      );
      this.#thread.append(turn);
    }

    async #consume(
      events: AsyncGenerator<ClientEvent>,
      controller: AbortController,
    ): Promise<void> {
      for await (const event of events) {
        if (controller.signal.aborted) break;
        this.#handle(event);
      }
      if (controller.signal.aborted && this.#controller === controller) {
        this.#flushRender();
        this.#setState("stopped", "Stopped. The answer so far is kept.");
      }
      this.#finish(controller);
    }

    /** The draft's markdown to the clipboard, to paste into the ticketing tool and edit. */
    async #copyDraft(): Promise<void> {
      try {
        await navigator.clipboard.writeText(this.#answerText);
        this.#status.textContent = "Draft copied.";
      } catch {
        // Clipboard access needs a secure page and the user's permission; the text stays selectable.
        this.#status.textContent = "Could not copy: select the draft and copy it instead.";
      }
    }

    /** Stops the running answer; closing the stream makes the server abort its model call. */
    stop(): void {
      this.#controller?.abort();
    }

    #handle(event: ClientEvent): void {
      switch (event.type) {
        case "sources":
          this.#sources = event.sources;
          this.#showSources(event.coverage === "covered");
          this.#setState("streaming", "Answering…");
          this.#emit("sources", event);
          break;
        case "delta":
          this.#answerText += event.text;
          this.#scheduleRender();
          break;
        case "tool_call": {
          const step = element("details", { className: "step" });
          step.dataset.id = event.id;
          step.append(
            element("summary", { textContent: `Tool: ${event.name}` }),
            element("pre", { textContent: JSON.stringify(event.arguments, null, 1) }),
          );
          this.#steps.append(step);
          break;
        }
        case "tool_result": {
          const step = [...this.#steps.querySelectorAll<HTMLElement>(".step")].find(
            (node) => node.dataset.id === event.id,
          );
          const summary = step?.querySelector("summary");
          if (summary) summary.textContent += event.ok ? " ✓" : ` ✗ ${event.error?.code ?? ""}`;
          if (!event.ok) step?.classList.add("failed");
          step?.append(
            element("pre", {
              textContent: JSON.stringify(event.ok ? event.result : event.error, null, 1),
            }),
          );
          // Sections a tool found are sources the answer may cite: listed with the rest.
          if (event.sources?.length) {
            this.#sources = [...this.#sources, ...event.sources];
            this.#showSources(true);
          }
          break;
        }
        case "proposed_action": {
          const action = element("p", { className: "action", part: "action" });
          action.append(
            element("strong", { textContent: "Proposed assignment (to confirm): " }),
            `${event.team} · ${event.priority} — ${event.reason}`,
          );
          this.#steps.append(action);
          // The portal confirms or dismisses it; nothing has been carried out.
          this.dispatchEvent(
            new CustomEvent("kb-proposed-action", { detail: event, bubbles: true, composed: true }),
          );
          break;
        }
        case "warning":
          // The server's message is safe to show, also for codes newer than this widget.
          this.#addNote(event.message, { code: event.code });
          if (event.code === "unknown_citation") {
            for (const n of event.citations ?? []) this.#unknownCitations.add(n);
            this.#flushRender();
          }
          this.#emit("warning", event);
          break;
        case "done": {
          this.#flushRender();
          for (const n of event.citations) {
            this.#sourcesList.querySelector(`[data-n="${n}"]`)?.classList.add("cited");
          }
          if (event.fallback) {
            if (!this.#notes.querySelector(`[data-code="${event.fallback.code}"]`)) {
              this.#addNote("The model failed; this answer was extracted from the sources.", {
                code: event.fallback.code,
              });
            }
          } else if (event.mode === "extractive") {
            this.#addNote(
              this.#mode === "draft"
                ? "Template draft: built from the triage, past tickets and runbooks, no model was used."
                : "Extractive answer: quoted from the knowledge base, no model was used.",
            );
          }
          // Absent from servers older than the field: no flag then.
          if (event.grounded === false && event.finishReason !== "not_covered") {
            this.#addNote(
              "This answer cites none of the sources: check it against them before acting on it.",
              { kind: "ungrounded" },
            );
          }
          if (event.finishReason === "not_covered") {
            this.#setState("no-answer", "No answer in the knowledge base.");
          } else {
            const count = this.#sources.length;
            const verb = this.#mode === "draft" ? "Drafted" : "Answered";
            this.#setState(
              "done",
              `${verb} from ${count} ${count === 1 ? "source" : "sources"} in ${event.timings.totalMs} ms.`,
            );
            this.#copyButton.hidden = this.#mode !== "draft" || this.#answerText === "";
          }
          if (this.#mode === "answer" && event.finishReason !== "not_covered") {
            this.#turnDone = true;
            this.#history = [
              ...this.#history,
              {
                question: this.#asked,
                answer: this.#answerText.slice(0, maxHistoryAnswerChars),
                citations: event.citations
                  .flatMap((n) => {
                    const id = this.#sources[n - 1]?.id;
                    return id ? [id] : [];
                  })
                  .slice(0, maxHistoryCitations),
              },
            ].slice(-maxHistoryTurns);
            this.#newButton.hidden = false;
          }
          this.#emit("done", event);
          break;
        }
        case "error":
          this.#flushRender();
          this.#fail(event.code, event.message);
          this.#emit("error", event);
          break;
      }
    }

    /**
     * A note under the answer. Flagged ones ask the reader to check something: `code` names
     * the server's warning (or the fallback's failure), `kind` one the widget noticed itself.
     */
    #addNote(text: string, flag?: { code?: string; kind?: string }): void {
      const note = element("p", { className: flag ? "note flag" : "note", textContent: text });
      if (flag?.code) note.dataset.code = flag.code;
      if (flag?.kind) note.dataset.kind = flag.kind;
      this.#notes.append(note);
    }

    #fail(code: string, message: string): void {
      const hint =
        code === "network_error" && new URL(this.#server()).origin !== location.origin
          ? " If this page is on another origin, the server must list it in CORS_ORIGINS."
          : "";
      this.#setState("error", `${message}${hint} (${code})`);
      this.#status.setAttribute("role", "alert");
    }

    #finish(controller: AbortController): void {
      if (this.#controller !== controller) return;
      this.#finishControls();
    }

    #finishControls(): void {
      this.#controller = undefined;
      this.#askButton.disabled = false;
      this.#draftButton.disabled = false;
      this.#stopButton.hidden = true;
      this.#answer.removeAttribute("aria-busy");
    }

    #reset(): void {
      this.#answerText = "";
      this.#sources = [];
      this.#unknownCitations = new Set();
      this.#answer.replaceChildren();
      this.#answer.setAttribute("aria-busy", "true");
      this.#notes.replaceChildren();
      this.#steps.replaceChildren();
      this.#sourcesBox.hidden = true;
      this.#sourcesList.replaceChildren();
      this.#status.setAttribute("role", "status");
      this.#askButton.disabled = true;
      this.#draftButton.disabled = true;
      this.#copyButton.hidden = true;
      this.#stopButton.hidden = false;
    }

    #setState(state: WidgetState, status = ""): void {
      this.setAttribute("state", state);
      this.#status.textContent = status;
    }

    #emit(name: string, detail: ClientEvent): void {
      this.dispatchEvent(
        new CustomEvent(`kb-answer-${name}`, { detail, bubbles: true, composed: true }),
      );
    }

    #scheduleRender(): void {
      if (this.#renderScheduled) return;
      this.#renderScheduled = true;
      // Coalesce bursts of deltas into one re-render; markdown is re-parsed whole because a
      // later delta can change how earlier text parses (a fence closing, a list growing).
      setTimeout(() => this.#flushRender(), 30);
    }

    #flushRender(): void {
      this.#renderScheduled = false;
      this.#answer.replaceChildren(
        renderMarkdown(document, this.#answerText, {
          citationLink: (n) => this.#citationLink(n),
        }),
      );
    }

    #citationLink(n: number): HTMLElement | undefined {
      const source = this.#sources[n - 1];
      if (!source || source.n !== n) {
        if (!this.#unknownCitations.has(n)) return undefined;
        return element("span", {
          className: "cite unknown",
          textContent: `[${n}]`,
          title: "Not among the sources: the model may have made this citation up",
        });
      }
      const link = element("a", {
        className: "cite",
        href: this.#sourceUrl(source),
        textContent: `[${n}]`,
        title: [source.title, ...source.headingPath].join(" › "),
      });
      link.dataset.n = String(n);
      link.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        void this.#openSection(n, true);
      });
      return link;
    }

    #showSources(covered: boolean): void {
      this.#sourcesBox.hidden = this.#sources.length === 0;
      const heading = this.#sourcesBox.querySelector("h3");
      if (heading)
        heading.textContent = covered ? "Sources" : "Nearest sections (may not answer it)";
      this.#sourcesList.replaceChildren(
        ...this.#sources.map((source) => {
          const item = element("li", { className: "source", id: `source-${source.n}` });
          item.dataset.n = String(source.n);
          const title = element("a", {
            className: "title",
            href: this.#sourceUrl(source),
            textContent: [source.title, ...source.headingPath].join(" › "),
          });
          title.addEventListener("click", (event) => {
            if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            void this.#openSection(source.n, false);
          });
          const meta = element("div", {
            className: "meta",
            textContent: source.path ? `${source.kind} · ${source.path}` : source.kind,
          });
          const section = element("div", {
            className: "section",
            id: `section-${source.n}`,
            hidden: true,
            tabIndex: -1,
            role: "region",
            "aria-label": `Source ${source.n}: ${source.title}`,
          });
          title.setAttribute("aria-controls", section.id);
          title.setAttribute("aria-expanded", "false");
          item.append(
            element("span", { className: "n", textContent: String(source.n) }),
            title,
            meta,
            section,
          );
          return item;
        }),
      );
    }

    /** Shows the cited section under its source, fetched whole; a citation click also moves focus there. */
    async #openSection(n: number, focus: boolean): Promise<void> {
      const source = this.#sources[n - 1];
      const item = this.#sourcesList.querySelector<HTMLElement>(`[data-n="${n}"]`);
      const section = item?.querySelector<HTMLElement>(".section");
      const toggle = item?.querySelector<HTMLElement>("a.title");
      if (!source || !section || !toggle) return;
      const opening = section.hidden || focus;
      section.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (!opening) return;
      if (focus) {
        section.scrollIntoView({ block: "nearest" });
        section.focus();
      }
      if (section.dataset.loaded === source.id) return;
      section.dataset.loaded = source.id;
      // A past ticket or a catalogue service has no KB section: its snippet is all there is.
      if (!hasSection(source)) {
        section.textContent = source.snippet;
        return;
      }
      section.textContent = "Loading the section…";
      const result = await this.#client().section(source.id);
      if (result.ok) {
        section.replaceChildren(renderMarkdown(document, result.data.text));
      } else {
        delete section.dataset.loaded;
        section.textContent = `Could not load the section: ${result.error.message}`;
      }
    }

    /** A client for the current `server` and `api-key` attributes. */
    #client(): AnswerClient {
      const apiKey = this.getAttribute("api-key");
      return createAnswerClient({ baseUrl: this.#server(), ...(apiKey ? { apiKey } : {}) });
    }

    #server(): string {
      return (this.getAttribute("server") || defaultServer).replace(/\/+$/, "");
    }

    /** Where a source's link leads: its section, or for a past ticket (no section) its entry here. */
    #sourceUrl(source: SourceSummary): string {
      return hasSection(source) ? this.#sectionUrl(source.id) : `#source-${source.n}`;
    }

    #sectionUrl(id: string): string {
      return `${this.#server()}/v1/sections/${encodeURIComponent(id)}`;
    }

    #syncAttributes(): void {
      this.#question.placeholder =
        this.getAttribute("placeholder") ?? "e.g. checkout-api is returning 503s after a deploy";
      this.#label.textContent = this.getAttribute("label") ?? "Ask the knowledge base";
      const question = this.getAttribute("question");
      if (question !== null && !this.#controller) this.#question.value = question;
      this.#draftButton.hidden = !this.hasAttribute("draft-reply");
    }

    #readTicket(): Ticket | undefined {
      if (this.ticket) return this.ticket;
      const fromEditor = this.#ticketEditor ? readEditor(this.#ticketEditor) : undefined;
      if (fromEditor) return fromEditor;
      const json = this.getAttribute("ticket");
      if (json) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch (error) {
          throw new Error(`The ticket attribute is not valid JSON: ${(error as Error).message}`);
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new Error("The ticket attribute must be a JSON object");
        }
        // The server validates each field and names any bad one.
        return parsed as Ticket;
      }
      const ticket: Record<string, string> = {};
      for (const field of ticketFields) {
        const value = this.dataset[`ticket${field[0]?.toUpperCase()}${field.slice(1)}`];
        if (value) ticket[field] = value;
      }
      return Object.keys(ticket).length > 0 ? (ticket as Ticket) : undefined;
    }

    #readFilters(): SearchFilters | undefined {
      if (this.filters) return this.filters;
      const filters: SearchFilters = {};
      for (const name of ["kind", "services", "tags"] as const) {
        const values = (this.getAttribute(name) ?? "")
          .split(",")
          .map((value) => value.trim())
          .filter(Boolean);
        if (values.length > 0) filters[name] = values;
      }
      return Object.keys(filters).length > 0 ? filters : undefined;
    }
  }

  customElements.define(tagName, KbAnswerElement);
}

/** A past ticket or a catalogue service is not a KB section: there is nothing to fetch or link. */
function hasSection(source: SourceSummary): boolean {
  return source.kind !== "ticket" && source.kind !== "service";
}

/** Optional fields for pasting the ticket at hand (the demo page turns it on with `ticket-editor`). */
function ticketEditor(): HTMLElement {
  const details = element("details", { className: "ticket" });
  details.append(element("summary", { textContent: "Ticket (optional)" }));
  const fields = element("div", { className: "fields" });
  for (const [name, label, multiline] of [
    ["title", "Ticket title", false],
    ["service", "Service", false],
    ["description", "Description or pasted error", true],
  ] as const) {
    const id = `kb-ticket-${name}`;
    const input = multiline
      ? element("textarea", { id, name, rows: 3 })
      : element("input", { id, name, type: "text" });
    fields.append(element("label", { htmlFor: id, textContent: label }), input);
  }
  details.append(fields);
  return details;
}

function readEditor(editor: HTMLElement): Ticket | undefined {
  const ticket: Record<string, string> = {};
  for (const input of editor.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
    "input, textarea",
  )) {
    if (input.value.trim()) ticket[input.name] = input.value.trim();
  }
  return Object.keys(ticket).length > 0 ? (ticket as Ticket) : undefined;
}
