/**
 * A source as the wire carries it: its place in its document stays internal,
 * because `/v1/search`, `/v1/sections/:id` and the stream's `sources` pin their fields.
 */
export function withoutPosition<T extends { position: number }>({
  position: _position,
  ...fields
}: T): Omit<T, "position"> {
  return fields;
}
