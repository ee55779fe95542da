import { type AskClient, createAskClient } from "../client/ask-client.js";
import type { TriageLabel, TriageResponse } from "../contract/triage-response.js";
import { element } from "./element.js";
import { triageStyles } from "./triage-styles.js";

/** What the element is doing; reflected as the host's `state` attribute for styling and tests. */
export type TriageState = "idle" | "loading" | "done" | "error";

/**
 * `<kb-triage>`: paste a ticket, see the labels triage proposes with their
 * confidence, what needs review, and the similar past tickets behind them.
 * Everything shown is built as DOM nodes from untrusted text, never as HTML.
 */
export function defineKbTriageElement(defaultServer: string, tagName = "kb-triage"): void {
  if (customElements.get(tagName)) return;

  class KbTriageElement extends HTMLElement {
    readonly #form: HTMLFormElement;
    readonly #button: HTMLButtonElement;
    readonly #status: HTMLElement;
    readonly #result: HTMLElement;
    #controller: AbortController | undefined;

    constructor() {
      super();
      const root = this.attachShadow({ mode: "open" });
      root.append(element("style", { textContent: triageStyles }));
      this.#form = element("form", { part: "form" });
      for (const [name, label, multiline] of [
        ["title", "Ticket title", false],
        ["service", "Service (optional)", false],
        ["description", "Description", true],
      ] as const) {
        const id = `kb-triage-${name}`;
        const input = multiline
          ? element("textarea", { id, name, rows: 5 })
          : element("input", { id, name, type: "text" });
        this.#form.append(element("label", { htmlFor: id, textContent: label }), input);
      }
      this.#button = element("button", { type: "submit", textContent: "Triage", part: "button" });
      this.#form.append(this.#button);
      this.#status = element("p", { className: "status", role: "status" });
      this.#result = element("div", { className: "result", part: "result" });
      root.append(this.#form, this.#status, this.#result);
      this.#form.addEventListener("submit", (event) => {
        event.preventDefault();
        void this.triage();
      });
      this.#setState("idle");
    }

    /** Triage what the form holds; the previous request, if any, is abandoned. */
    async triage(): Promise<void> {
      this.#controller?.abort();
      const controller = new AbortController();
      this.#controller = controller;
      const ticket: Record<string, string> = {};
      for (const input of this.#form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
        "input, textarea",
      )) {
        if (input.value.trim()) ticket[input.name] = input.value.trim();
      }
      this.#setState("loading");
      this.#status.textContent = "Triaging…";
      this.#result.replaceChildren();
      const result = await this.#client().triage({ ticket, signal: controller.signal });
      if (controller.signal.aborted) return;
      if (!result.ok) {
        this.#status.textContent = result.error.message;
        this.#setState("error");
        return;
      }
      this.#status.textContent = "";
      this.#render(result.data);
      this.#setState("done");
      this.dispatchEvent(
        new CustomEvent("kb-triage-done", { detail: result.data, bubbles: true, composed: true }),
      );
    }

    #render(triage: TriageResponse): void {
      const review = element("div", {
        className: triage.needs_review ? "review needs" : "review ok",
        part: "review",
      });
      review.append(
        element("strong", { textContent: triage.needs_review ? "Needs review" : "Confident" }),
        ...triage.review.map((reason) => element("div", { textContent: reason })),
      );
      const table = element("table", { part: "labels" });
      for (const [name, label] of [
        ["Category", triage.category],
        ["Priority", triage.priority],
        ["Team", triage.team],
      ] as const) {
        table.append(labelRow(name, label, triage.threshold));
      }
      const tags = element("p", { className: "tags" });
      for (const tag of triage.tags)
        tags.append(
          element("span", { className: "tag", textContent: tag.label, title: tag.reason }),
        );
      this.#result.append(
        element("p", { className: "summary", textContent: triage.summary }),
        review,
        table,
        tags,
      );
      for (const other of triage.others) {
        this.#result.append(
          element("p", {
            className: "other",
            textContent: `Also reported: ${other.summary} (${[
              other.category,
              other.priority,
              other.team,
            ]
              .map((label) => label?.label)
              .filter(Boolean)
              .join(", ")})`,
          }),
        );
      }
      if (triage.similar.tickets.length > 0) {
        this.#result.append(element("h3", { textContent: "Similar past tickets" }));
        const list = element("ol", { className: "similar", part: "similar" });
        for (const past of triage.similar.tickets) {
          const item = element("li", {});
          const labels = [past.labels.category, past.labels.priority, past.labels.team]
            .filter(Boolean)
            .join(" · ");
          item.append(
            element("strong", { textContent: `${past.id} ${past.title}` }),
            element("div", { className: "muted", textContent: labels }),
          );
          if (past.resolution)
            item.append(element("div", { textContent: `Fixed: ${past.resolution}` }));
          list.append(item);
        }
        this.#result.append(list);
      }
      this.#result.append(
        element("p", {
          className: "muted",
          textContent: `${triage.mode === "model" ? `Chosen by ${triage.model}` : "Offline classifier"}${triage.taxonomy ? `, taxonomy ${triage.taxonomy.version}` : ""}.`,
        }),
      );
    }

    #setState(state: TriageState): void {
      this.setAttribute("state", state);
      this.#button.disabled = state === "loading";
    }

    #client(): AskClient {
      const apiKey = this.getAttribute("api-key");
      const server = (this.getAttribute("server") || defaultServer).replace(/\/+$/, "");
      return createAskClient({ baseUrl: server, ...(apiKey ? { apiKey } : {}) });
    }
  }

  customElements.define(tagName, KbTriageElement);
}

function labelRow(name: string, label: TriageLabel | null, threshold: number): HTMLTableRowElement {
  const row = element("tr", {});
  row.append(element("th", { textContent: name }));
  if (!label) {
    row.append(element("td", { textContent: "—", colSpan: 3 }));
    return row;
  }
  const meter = element("meter", {
    min: 0,
    max: 1,
    value: label.confidence,
    low: threshold,
    optimum: 1,
  });
  row.append(
    element("td", { textContent: label.label, className: "label" }),
    element("td", {
      className: "confidence",
      textContent: `${Math.round(label.confidence * 100)}%`,
    }),
    element("td", {}),
  );
  row.lastElementChild?.append(
    meter,
    element("span", { className: "muted", textContent: ` ${label.reason}` }),
  );
  return row;
}
