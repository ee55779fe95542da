import * as z from "zod/mini";
import { boundedText } from "./bounded-text.js";

/** One value or a list of them; blank values are dropped. */
const list = (maxItems: number, maxChars: number) =>
  z.pipe(
    z.union([
      boundedText(maxChars),
      z
        .array(boundedText(maxChars))
        .check(z.maxLength(maxItems, `must have at most ${maxItems} items`)),
    ]),
    z.transform((value) => (Array.isArray(value) ? value : [value]).filter((item) => item !== "")),
  );

/** Narrow a search: a document matches a list if it has any of its values. */
export const SearchFilters = z.strictObject({
  kind: z.optional(list(10, 50)),
  services: z.optional(list(20, 200)),
  tags: z.optional(list(20, 100)),
});
export type SearchFilters = z.infer<typeof SearchFilters>;
