/** One parsed server-sent event. */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: Record<string, unknown>;
}

/**
 * Parse an SSE body as it arrives. Deliberately independent of the product's
 * own client, so that tests pin the wire format rather than agree with it.
 */
export async function* readSse(response: Response): AsyncGenerator<SseEvent | { comment: string }> {
  if (!response.body) throw new Error("response has no body");
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      if (block.startsWith(":")) {
        yield { comment: block.slice(1).trim() };
        continue;
      }
      const fields = new Map<string, string[]>();
      for (const line of block.split("\n")) {
        const colon = line.indexOf(":");
        const name = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, "");
        fields.set(name, [...(fields.get(name) ?? []), value]);
      }
      yield {
        event: fields.get("event")?.[0] ?? "message",
        id: fields.get("id")?.[0],
        data: JSON.parse((fields.get("data") ?? []).join("\n")),
      };
    }
  }
}

export async function collectSse(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const item of readSse(response)) if ("event" in item) events.push(item);
  return events;
}
