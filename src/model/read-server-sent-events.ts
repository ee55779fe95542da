import { createParser, type EventSourceMessage, type ParseError } from "eventsource-parser";

/** An upstream event line longer than this ends the stream: a bound on what we buffer (1 MiB). */
const maxEventChars = 1 << 20;

/**
 * The server-sent events of a response body, a batch per network read (often one event):
 * one hop of the consumer's loop per read rather than per event, and no web-stream layers
 * beyond the body's own. Leaving the consumer's loop early cancels the body, which closes
 * the upstream request.
 */
export async function* readServerSentEvents(
  body: AsyncIterable<Uint8Array>,
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
  }
  parser.feed(decoder.decode());
  // A last event without its blank line still counts, as the SDK's own parser has it.
  parser.reset({ consume: true });
  if (batch.length > 0) yield batch;
}
