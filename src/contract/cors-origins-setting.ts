import * as z from "zod/mini";

/**
 * CORS_ORIGINS: the portal origins allowed to call the API from a browser, comma-separated.
 * Read the same way by the Node server (src/config.ts) and the edge Worker. Default: none.
 */
export const CorsOriginsSetting = z.pipe(
  z.transform((value: unknown) =>
    typeof value === "string"
      ? value
          .split(",")
          .map((origin) => origin.trim())
          .filter((origin) => origin !== "")
      : value,
  ),
  z._default(
    z.array(
      z.url({ protocol: /^https?$/ }).check(
        z.refine(
          // Not a URL at all is the url check's to report (and new URL would throw).
          (origin) => !URL.canParse(origin) || new URL(origin).origin === origin,
          "must be an origin like https://portal.example, with no path",
        ),
      ),
    ),
    [],
  ),
);
export type CorsOriginsSetting = z.infer<typeof CorsOriginsSetting>;
