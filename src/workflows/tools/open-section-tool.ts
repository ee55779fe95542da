import { z } from "zod";
import { defineTool, ToolError } from "../../answer/answer-tool.js";
import { readSection } from "../../retrieval/read-section.js";
import type { KbReader } from "../../store/kb-reader.js";
import { toolSection } from "./search-kb-tool.js";

/** `open_section`: a whole section, by its id or by the number of a source already sent. */
export function openSectionTool(deps: { reader: KbReader }) {
  return defineTool({
    name: "open_section",
    description:
      'Read a whole section: give a section id from search_kb, or the number of a source (e.g. "2") to read all of it.',
    parameters: z.strictObject({
      id: z
        .string()
        .regex(/^(\[?\d{1,3}\]?|[0-9a-f]{24}(-\d+)?)$/, "must be a source number or a section id")
        .describe("A section id, or a source number"),
    }),
    async run(args, context) {
      const number = /^\[?(\d+)\]?$/.exec(args.id)?.[1];
      const id = number
        ? context.sources().find((source) => source.n === Number(number))?.id
        : args.id;
      if (!id) throw new ToolError("not_found", `No source numbered ${number}`);
      const section = await readSection(deps.reader, id, 4_000);
      if (!section) throw new ToolError("not_found", `No section with id ${id}`);
      const [cited] = context.cite([{ ...section, score: 0 }]);
      return cited && toolSection(cited, 4_000);
    },
  });
}
