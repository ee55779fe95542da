/**
 * `compute`, remembered for the `capacity` texts used most recently: for work done on a
 * section's text for every answer that cites it (its snippet, its words), which the same
 * few sections need again and again. `compute` must depend on the text alone.
 */
export function rememberByText<T>(
  compute: (text: string) => T,
  capacity: number,
): (text: string) => T {
  // A Map keeps insertion order: re-inserting on use keeps the least recently used first.
  const remembered = new Map<string, T>();
  return (text) => {
    const known = remembered.get(text);
    if (known !== undefined || remembered.has(text)) {
      remembered.delete(text);
      remembered.set(text, known as T);
      return known as T;
    }
    const value = compute(text);
    if (remembered.size >= capacity) {
      const oldest = remembered.keys().next();
      if (!oldest.done) remembered.delete(oldest.value);
    }
    remembered.set(text, value);
    return value;
  };
}
