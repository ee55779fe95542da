import type { RequestIdVariables } from "hono/request-id";

/** What every route and middleware of the Node app may read from the context. */
export type AppEnv = { Variables: RequestIdVariables };
