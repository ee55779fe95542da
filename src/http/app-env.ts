import type { RequestIdVariables } from "hono/request-id";
import type { ApiKeyVariables } from "../access/require-api-key.js";

/** What every route and middleware of the Node app may read from the context. */
export type AppEnv = { Variables: RequestIdVariables & ApiKeyVariables };
