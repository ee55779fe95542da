import { request } from "node:http";

/** What one answer stream looked like from the client's side. */
export interface StreamOutcome {
  /** Why the stream is broken (not 200, no `sources` first, no `done` last, a warning, text not as sent); undefined when whole. */
  broken: string | undefined;
  /** Request sent → `sources` event received. Milliseconds. */
  toSourcesMs: number;
  /** Request sent → last event received. Milliseconds. */
  toLastEventMs: number;
  deltaEvents: number;
}

/**
 * POST /v1/ask and read the SSE answer as a portal would: events in order, the
 * deltas' text joined and compared with what the model sent.
 */
export function openAnswerStream(
  url: URL,
  question: string,
  expectedText: string | undefined,
): Promise<StreamOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let toSourcesMs = Number.NaN;
    let buffer = "";
    let text = "";
    let deltaEvents = 0;
    let covered = false;
    let warning: string | undefined;
    const events: string[] = [];
    let settled = false;
    const finish = (broken: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve({ broken, toSourcesMs, toLastEventMs: performance.now() - started, deltaEvents });
    };
    const body = JSON.stringify({ question });
    const outgoing = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
          "content-length": Buffer.byteLength(body),
        },
        agent: false,
      },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          finish(`status ${response.statusCode}`);
          return;
        }
        response.setEncoding("utf8");
        response.on("data", (piece: string) => {
          buffer += piece;
          let end = buffer.indexOf("\n\n");
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
            let event = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data += line.slice(6);
            }
            if (block.startsWith(":")) continue; // keep-alive comment
            events.push(event);
            if (event === "sources") {
              toSourcesMs = performance.now() - started;
              covered = (JSON.parse(data) as { coverage: string }).coverage === "covered";
            } else if (event === "warning") {
              warning ??= (JSON.parse(data) as { code: string }).code;
            } else if (event === "delta") {
              deltaEvents++;
              text += (JSON.parse(data) as { text: string }).text;
            }
          }
        });
        response.on("end", () => {
          if (events[0] !== "sources") finish(`first event ${events[0] ?? "none"}`);
          else if (events.at(-1) !== "done") finish(`last event ${events.at(-1) ?? "none"}`);
          else if (warning !== undefined) finish(`warning ${warning}`);
          // A question the KB does not cover gets the not-covered answer, not the model's.
          else if (covered && expectedText !== undefined && text !== expectedText)
            finish("text differs");
          else finish(undefined);
        });
        response.on("error", (error) => finish(`response ${error.message}`));
      },
    );
    outgoing.on("error", (error) => finish(`request ${error.message}`));
    outgoing.end(body);
  });
}
