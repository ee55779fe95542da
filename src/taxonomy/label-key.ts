/** Labels match case-insensitively and trimmed: `p1 ` in an export is the taxonomy's `P1`. */
export function labelKey(label: string): string {
  return label.trim().toLowerCase();
}
