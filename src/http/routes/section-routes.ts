import type { Hono } from "hono";
import type { SectionResponse } from "../../contract/section-response.js";
import { KbError } from "../../errors.js";
import { readSection } from "../../retrieval/read-section.js";
import { withoutPosition } from "../../retrieval/without-position.js";
import type { KbReader } from "../../store/kb-reader.js";
import type { AppEnv } from "../app-env.js";

/** `GET /v1/sections/:id`: the whole section a cited source came from. */
export function registerSectionRoutes(app: Hono<AppEnv>, deps: { reader: KbReader }): void {
  app.get("/v1/sections/:id", async (context) => {
    const id = context.req.param("id");
    if (!/^[0-9a-f]{24}(-\d+)?$/.test(id)) {
      throw new KbError(
        "invalid_request",
        `Invalid request: id: ${JSON.stringify(id.slice(0, 80))} is not a chunk id`,
        { details: [{ field: "id", message: "is not a chunk id" }] },
      );
    }
    const found = await readSection(deps.reader, id);
    const section: SectionResponse | undefined = found && withoutPosition(found);
    if (!section)
      throw new KbError(
        "not_found",
        `No section with id ${id}; it may have been re-ingested since it was cited`,
      );
    return context.json(section);
  });
}
