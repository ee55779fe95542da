import { setTimeout as sleep } from "node:timers/promises";
import { createParser, type EventSourceMessage, type ParseError } from "eventsource-parser";

/** An upstream event line longer than this ends the stream: a bound on what we buffer (1 MiB). */
const maxEventChars = 1 << 20;
/**
 * A read this large may have left more behind (a Node stream buffers 16 KiB before it stops
 * reading the socket): the next one follows at once, however long the pause asked for.
 */
const fullReadBytes = 16 * 1024;

export interface ReadServerSentEventsOptions {
  /**
   * How long to leave the body unread after each batch (asked after the consumer took it; 0
   * reads on at once). Tokens arriving meanwhile wait in the socket's buffers and come in one
   * read: one parse and one hop of every consumer per batch rather than per token.
   */
  pauseMs?: (() => number) | undefined;
}

/**
 * The server-sent events of a response body, a batch per network read (often one event):
 * one hop of the consumer's loop per read rather than per event, and no web-stream layers
 * beyond the body's own. Leaving the consumer's loop early cancels the body, which closes
 * the upstream request.
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
  options: ReadServerSentEventsOptions = {},
): AsyncGenerator<EventSourceMessage[]> {
  let batch: EventSourceMessage[] = [];
  let overflow: ParseError | undefined;
  const parser = createParser({
    onEvent: (event) => {
      batch.push(event);
    },
    // Unknown fields and bad `retry:` values are ignored, as the SSE spec says; only an overflow ends the stream.
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") overflow = error;
    },
    maxBufferSize: maxEventChars,
  });
  const decoder = new TextDecoder();
  for await (const bytes of body) {
    parser.feed(decoder.decode(bytes, { stream: true }));
    if (overflow) throw overflow;
    if (batch.length === 0) continue;
    const events = batch;
    batch = [];
    yield events;
    const pause = options.pauseMs?.() ?? 0;
    if (pause > 0 && bytes.byteLength < fullReadBytes) await sleep(pause);
  }
  parser.feed(decoder.decode());
  // A last event without its blank line still counts, as the SDK's own parser has it.
  parser.reset({ consume: true });
  if (batch.length > 0) yield batch;
}
