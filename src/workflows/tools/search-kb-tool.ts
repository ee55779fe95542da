import { z } from "zod";
import { defineTool, type ToolContext } from "../../answer/answer-tool.js";
import { type SearchDeps, searchKb } from "../../retrieval/search-kb.js";
import type { Source } from "../../retrieval/source.js";

/** A section as a tool gives it to the model: its number to cite, and its text, cut to fit. */
export function toolSection(source: Source, maxChars = 1_500) {
  return {
    n: source.n,
    id: source.id,
    title: source.title,
    headingPath: source.headingPath,
    path: source.path,
    text: source.text.length > maxChars ? `${source.text.slice(0, maxChars)}…` : source.text,
  };
}

const list = (maxItems: number, maxChars: number) =>
  z.array(z.string().min(1).max(maxChars)).max(maxItems).optional();

/** `search_kb`: another search of the knowledge base; what it finds becomes citable. */
export function searchKbTool(deps: SearchDeps) {
  return defineTool({
    name: "search_kb",
    description:
      "Search the knowledge base (runbooks, incident writeups) again, with other words or filters. Returns sections numbered for citation.",
    parameters: z.strictObject({
      query: z
        .string()
        .min(1)
        .max(500)
        .describe("What to look for: symptoms, alert names, commands"),
      filters: z
        .strictObject({
          kind: list(10, 50).describe("Document kinds, e.g. runbook, incident"),
          services: list(20, 200),
          tags: list(20, 100),
        })
        .optional(),
    }),
    async run(args, context: ToolContext) {
      const found = await searchKb(
        deps,
        { question: args.query, filters: args.filters, topK: 3 },
        { signal: context.signal },
      );
      const cited = context.cite(found.map(({ n: _n, ...section }) => section));
      return { sections: cited.map((source) => toolSection(source)) };
    },
  });
}
