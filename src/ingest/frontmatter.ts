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

/** Not given is null ("no owner"), not a missing key. */
const orNull = <Output>(schema: z.ZodType<Output, unknown>) =>
  schema.optional().transform((value) => value ?? null);
/** Not given is an empty list. */
const textListOrEmpty = textList.optional().transform((value) => value ?? []);

/**
 * Frontmatter of a KB document. Every field is optional so that real-world
 * folders ingest as they are; unknown keys are kept (loose), not rejected.
 * A new field is one line here and one in store/index-rows.ts's
 * documentFieldColumns (the compiler names a missing side); KbDocument, the
 * parsed document and the stored row follow from the two.
 */
export const Frontmatter = z.looseObject({
  /** Resolved by parseDocument: the first heading, then the file name. */
  title: text.optional(),
  /** Resolved by parseDocument: the folder, then `runbook`. */
  kind: kindText.optional(),
  services: textListOrEmpty,
  tags: textListOrEmpty,
  aliases: textListOrEmpty,
  severity: orNull(text),
  owner: orNull(text),
  updated: orNull(dateText),
  date: orNull(dateText),
  impact: orNull(text),
  root_cause: orNull(text),
  resolution: orNull(text),
  /** Related runbook paths (incidents). */
  runbooks: textListOrEmpty,
});
export type Frontmatter = z.infer<typeof Frontmatter>;

type FrontmatterShape = typeof Frontmatter.shape;
type FrontmatterKey = keyof FrontmatterShape & string;

/** `root_cause` as `rootCause`: frontmatter is written in YAML's style, rows in ours. */
type CamelCase<Key extends string> = Key extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : Key;

/** The modelled frontmatter fields under their row names, as parsed. */
export type FrontmatterFields = {
  [Key in FrontmatterKey as CamelCase<Key>]: z.output<FrontmatterShape[Key]>;
};

export const knownFrontmatterKeys = new Set(Object.keys(Frontmatter.shape));

/** The modelled fields of parsed frontmatter, renamed; unknown keys are left out. */
export function frontmatterFields(frontmatter: Frontmatter): FrontmatterFields {
  return Object.fromEntries(
    [...knownFrontmatterKeys].map((key) => [
      key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase()),
      frontmatter[key],
    ]),
  ) as FrontmatterFields;
}
