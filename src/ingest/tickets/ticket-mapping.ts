import { z } from "zod";

const columnName = z.string().trim().min(1, "must name a column").max(200);
/** One column, or several: the first that is not empty in a row is used. */
const columns = z
  .union([columnName, z.array(columnName).min(1, "must name at least one column").max(10)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/**
 * How a CSV export's columns map to the ticket contract's keys: a YAML file
 * beside the export (`<name>.mapping.yaml`) or for its folder (`mapping.yaml`).
 * Unknown keys are refused, so that a typo is an error rather than a silently
 * empty field.
 */
export const TicketMapping = z.strictObject({
  columns: z
    .strictObject({
      /** Without it, a row's id is its line number (`L42`): a re-export that inserts rows then rewrites those after it. */
      id: columns.optional(),
      title: columns.optional(),
      description: columns.optional(),
      category: columns.optional(),
      priority: columns.optional(),
      team: columns.optional(),
      service: columns.optional(),
      resolution: columns.optional(),
      opened_at: columns.optional(),
      resolved_at: columns.optional(),
    })
    .refine((value) => value.title !== undefined || value.description !== undefined, {
      message: "must map title or description",
    }),
  /** Field separator. Default `,`. */
  delimiter: z.string().length(1, "must be one character").default(","),
  /** `14/03/2026` is 14 March. Default false: numeric dates are month first, as US exports write them. */
  day_first: z.boolean().default(false),
});
export type TicketMapping = z.infer<typeof TicketMapping>;
