/** A DOM node with properties set: untrusted text goes in as `textContent`, never as HTML. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<Record<string, unknown>>,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    // Attributes with no matching DOM property (part, role, aria-*) are set as attributes.
    if (key === "part" || key === "role" || key.startsWith("aria-"))
      node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  return node;
}
