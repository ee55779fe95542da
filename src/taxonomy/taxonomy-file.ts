import { z } from "zod";
import { labelKey } from "./label-key.js";

/** As ticket labels are cut at 200 characters, a longer name could never match one. */
const name = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().min(1, "must not be blank").max(200));
/** YAML reads `keywords: [503, 401]` as numbers; they are words here. */
const text = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().min(1, "must not be blank"));
const orNull = <Output>(schema: z.ZodType<Output, unknown>) =>
  schema.optional().transform((value) => value ?? null);
const textList = z
  .array(text)
  .optional()
  .transform((value) => value ?? []);

/** Reports each name that an earlier one already had, ignoring case, at its own position. */
function refuseDuplicates(
  names: readonly string[],
  context: z.RefinementCtx,
  pathAfter: (string | number)[],
): void {
  const firstAt = new Map<string, number>();
  names.forEach((label, position) => {
    const earlier = firstAt.get(labelKey(label));
    if (earlier === undefined) firstAt.set(labelKey(label), position);
    else
      context.addIssue({
        code: "custom",
        path: [position, ...pathAfter],
        message: `duplicate name "${label}" (already at ${earlier}; names ignore case)`,
      });
  });
}

const labelList = <Label extends { name: string }>(schema: z.ZodType<Label, unknown>) =>
  z
    .array(schema)
    .min(1, "needs at least one label")
    .superRefine((labels, context) =>
      refuseDuplicates(
        labels.map((label) => label.name),
        context,
        ["name"],
      ),
    );

const labelFields = { name, description: orNull(text), keywords: textList };

/**
 * `taxonomy.yaml` as written. Strict: an unknown key is a typo to report, not a field to
 * ignore, since a misspelt `keywrods:` would otherwise silently drop a label's signals.
 */
export const TaxonomyFile = z.strictObject({
  version: z
    .union([z.string(), z.number()])
    .transform((value) => String(value).trim())
    .pipe(z.string().min(1, "must not be blank")),
  categories: labelList(z.strictObject(labelFields)),
  priorities: labelList(
    z.strictObject({ ...labelFields, impact: orNull(text), urgency: orNull(text) }),
  ),
  teams: labelList(z.strictObject({ ...labelFields, services: textList })),
  tags: z
    .array(name)
    .optional()
    .transform((value) => value ?? [])
    .superRefine((tags, context) => refuseDuplicates(tags, context, [])),
});
export type TaxonomyFile = z.infer<typeof TaxonomyFile>;
