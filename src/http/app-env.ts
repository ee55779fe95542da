import type { RequestIdVariables } from "hono/request-id";

/** What every route and middleware of the Node app may read from the context. */
export type AppEnv = {
  Variables: RequestIdVariables & {
    /** The name of the API key the caller presented; unset when no keys are configured. */
    apiKeyName?: string;
  };
};
