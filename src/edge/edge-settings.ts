import { en } from "zod/locales";
import * as z from "zod/mini";
import { CorsOriginsSetting } from "../contract/cors-origins-setting.js";
import { KbError } from "../errors.js";

/**
 * zod's English messages for issues whose schema gives none, as the Node server's settings
 * have them. zod/mini rather than zod keeps the Worker bundle small; it loads no messages.
 */
const englishMessages = en().localeError;

/** Blank means unset, as in the Node settings: `EDGE_API_KEY = ""` must not demand an empty key. */
const blankAsUnset = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** The Worker's vars and secrets (wrangler.toml `[vars]`, `wrangler secret put`). */
export const EdgeSettingsSchema = z.object({
  /** The Node server the Worker forwards the API to, e.g. `https://kb-origin.example.internal`. Required. */
  ORIGIN_URL: z.pipe(
    z.transform(blankAsUnset),
    z.url({
      protocol: /^https?$/,
      error: "must be set to the http(s) URL of the Node server (npm start) that serves the API",
    }),
  ),
  /** Portal origins allowed to call the API from a browser, comma-separated. Default: none. */
  CORS_ORIGINS: CorsOriginsSetting,
  /** When set, /v1/* requires `Authorization: Bearer <key>`. A secret; default unset. */
  EDGE_API_KEY: z.pipe(z.transform(blankAsUnset), z.optional(z.string().check(z.trim()))),
});

export interface EdgeSettings {
  originUrl: URL;
  corsOrigins: string[];
  apiKey: string | undefined;
}

/** Reads the Worker's env; a bad value is a 500 whose message names the variable, since only the operator can fix it. */
export function readEdgeSettings(env: Record<string, unknown>): EdgeSettings {
  const parsed = EdgeSettingsSchema.safeParse(env, { error: englishMessages });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new KbError("invalid_config", `Invalid Worker settings: ${problems.join("; ")}`, {
      details: problems,
    });
  }
  return {
    originUrl: new URL(parsed.data.ORIGIN_URL),
    corsOrigins: parsed.data.CORS_ORIGINS,
    apiKey: parsed.data.EDGE_API_KEY,
  };
}
