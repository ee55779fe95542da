import { z } from "zod";
import { labelKey } from "../taxonomy/label-key.js";

/** As ticket fields are cut at 200 characters, a longer name could never match a ticket's service. */
const name = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().min(1, "must not be blank").max(200));
const text = z
  .string()
  .transform((value) => value.trim())
  .pipe(z.string().min(1, "must not be blank"));
const orNull = <Output>(schema: z.ZodType<Output, unknown>) =>
  schema.optional().transform((value) => value ?? null);
const listOf = <Output>(schema: z.ZodType<Output, unknown>) =>
  z
    .array(schema)
    .optional()
    .transform((value) => value ?? []);

/** A KB path as documents are indexed: relative, `/` separators, never leaving the KB folder. */
const kbPath = text
  .transform((path) => path.replace(/^\.\//, ""))
  .refine(
    (path) => !path.startsWith("/") && !path.split("/").includes("..") && !path.includes("\\"),
    "must be a path inside the KB folder, such as runbooks/checkout-api-503-after-deploy.md",
  );

const ServiceFileEntry = z.strictObject({
  name,
  aliases: listOf(name),
  description: orNull(text),
  owner: name,
  on_call: orNull(
    z
      .strictObject({ rotation: orNull(text), contact: orNull(text) })
      .refine(
        (onCall) => onCall.rotation !== null || onCall.contact !== null,
        "needs a rotation, a contact or both",
      ),
  ),
  tier: orNull(z.int().min(0).max(9)),
  dependencies: listOf(name),
  runbooks: listOf(kbPath),
  dashboards: listOf(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" })),
});
export type ServiceFileEntry = z.infer<typeof ServiceFileEntry>;

/**
 * `services.yaml` as written. Strict, as the taxonomy is: a misspelt key is reported, not
 * dropped. Names and aliases are one namespace (a lookup matches either, ignoring case), so
 * a name or alias used twice is refused, as is a dependency that names no service.
 */
export const ServiceCatalogueFile = z
  .strictObject({
    version: z
      .union([z.string(), z.number()])
      .transform((value) => String(value).trim())
      .pipe(z.string().min(1, "must not be blank")),
    services: z.array(ServiceFileEntry).min(1, "needs at least one service"),
  })
  .superRefine((file, context) => {
    const owners = new Map<string, string>();
    file.services.forEach((service, position) => {
      for (const [field, names] of [
        ["name", [service.name]],
        ["aliases", service.aliases],
      ] as const) {
        names.forEach((given, index) => {
          const earlier = owners.get(labelKey(given));
          if (earlier === undefined) owners.set(labelKey(given), service.name);
          else
            context.addIssue({
              code: "custom",
              path: ["services", position, field, ...(field === "aliases" ? [index] : [])],
              message: `"${given}" is already a name or alias of ${earlier} (names and aliases ignore case)`,
            });
        });
      }
    });
    file.services.forEach((service, position) => {
      service.dependencies.forEach((dependency, index) => {
        const target = owners.get(labelKey(dependency));
        const path = ["services", position, "dependencies", index];
        if (target === undefined)
          context.addIssue({
            code: "custom",
            path,
            message: `"${dependency}" names no service of the catalogue (add it, or remove the dependency)`,
          });
        else if (target === service.name)
          context.addIssue({ code: "custom", path, message: "a service cannot depend on itself" });
      });
    });
  });
export type ServiceCatalogueFile = z.infer<typeof ServiceCatalogueFile>;
