import { en } from "zod/locales";
import * as z from "zod/mini";
import { type ApiKey, parseApiKeys } from "../access/api-key.js";
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
  /**
   * Clients allowed to call /v1/* and /readyz, as `name:key` pairs like the Node server's
   * API_KEYS (a secret: `wrangler secret put API_KEYS`). Default: none.
   */
  API_KEYS: z.pipe(z.transform(blankAsUnset), z.optional(z.string())),
  /** One key, named `edge`: the setting before API_KEYS, still read. A secret; default unset. */
  EDGE_API_KEY: z.pipe(z.transform(blankAsUnset), z.optional(z.string().check(z.trim()))),
});

export interface EdgeSettings {
  originUrl: URL;
  corsOrigins: string[];
  /** Who may call /v1/* and /readyz; empty: anyone. */
  apiKeys: ApiKey[];
}

/** Reads the Worker's env; a bad value is a 500 whose message names the variable, since only the operator can fix it. */
export function readEdgeSettings(env: Record<string, unknown>): EdgeSettings {
  const parsed = EdgeSettingsSchema.safeParse(env, { error: englishMessages });
  const keys = parseApiKeys(parsed.success ? parsed.data.API_KEYS : undefined);
  if (!parsed.success || keys.problems.length > 0) {
    const problems = [
      ...(parsed.success ? [] : parsed.error.issues).map(
        (issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`,
      ),
      ...keys.problems.map((problem) => `API_KEYS: ${problem}`),
    ];
    throw new KbError("invalid_config", `Invalid Worker settings: ${problems.join("; ")}`, {
      details: problems,
    });
  }
  const { EDGE_API_KEY } = parsed.data;
  return {
    originUrl: new URL(parsed.data.ORIGIN_URL),
    corsOrigins: parsed.data.CORS_ORIGINS,
    apiKeys: [...keys.keys, ...(EDGE_API_KEY ? [{ name: "edge", key: EDGE_API_KEY }] : [])],
  };
}
