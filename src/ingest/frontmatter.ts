import { z } from "zod";

const text = z.union([z.string(), z.number()]).transform((value) => String(value).trim());

/** YAML lets a list be written as one scalar; accept both and drop blanks. */
const textList = z
  .union([text, z.array(text)])
  .transform((value) => (Array.isArray(value) ? value : [value]).filter((item) => item !== ""));

/** js-yaml turns `2026-03-14` into a Date; keep dates as ISO day strings. */
const dateText = z
  .union([z.date(), z.string(), z.number()])
  .transform((value) =>
    value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim(),
  );

const kindText = text.pipe(
  z
    .string()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_-]*$/, "must be a single word such as runbook or incident"),
);

/**
 * Frontmatter of a KB document. Every field is optional so that real-world
 * folders ingest as they are; unknown keys are kept (loose), not rejected.
 */
export const Frontmatter = z.looseObject({
  title: text.optional(),
  kind: kindText.optional(),
  services: textList.optional(),
  tags: textList.optional(),
  aliases: textList.optional(),
  severity: text.optional(),
  owner: text.optional(),
  updated: dateText.optional(),
  date: dateText.optional(),
  impact: text.optional(),
  root_cause: text.optional(),
  resolution: text.optional(),
  runbooks: textList.optional(),
});
export type Frontmatter = z.infer<typeof Frontmatter>;

export const knownFrontmatterKeys = new Set(Object.keys(Frontmatter.shape));
