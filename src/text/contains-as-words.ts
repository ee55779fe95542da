/** `name` in `text` not as part of a longer word; both already lowercased. */
export function containsAsWords(text: string, name: string): boolean {
  if (name === "") return false;
  let from = text.indexOf(name);
  while (from !== -1) {
    const before = text[from - 1] ?? " ";
    const after = text[from + name.length] ?? " ";
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) return true;
    from = text.indexOf(name, from + 1);
  }
  return false;
}
