import * as z from "zod/mini";

/** `GET /v1/sections/:id`: the whole section a source came from. */
export const SectionResponse = z.object({
  /** Chunk id (of the first chunk when adjacent chunks were joined). */
  id: z.string(),
  /** Document path relative to the KB folder, `/` separators. */
  path: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  kind: z.string(),
  services: z.array(z.string()),
  /** The section's markdown (adjacent chunks of one section joined). */
  text: z.string(),
});
export type SectionResponse = z.infer<typeof SectionResponse>;
