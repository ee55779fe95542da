import type { Hono } from "hono";
import { requireAdminKey } from "../../access/require-admin-key.js";
import { KbError } from "../../errors.js";
import type { IngestSummary } from "../../ingest/run-ingest.js";
import type { AppEnv } from "../app-env.js";

export interface AdminDeps {
  /** The operator's key (ADMIN_API_KEY). */
  adminApiKey: string;
  /** The same incremental ingest `npm run ingest` runs, on the server's KB folder and index. */
  ingest: () => Promise<IngestSummary>;
}

type IngestRun =
  | { status: "running"; startedAt: string }
  | { status: "succeeded"; startedAt: string; finishedAt: string; summary: IngestSummary }
  | {
      status: "failed";
      startedAt: string;
      finishedAt: string;
      error: { code: string; message: string };
    };

/**
 * `POST /v1/admin/ingest` re-ingests over HTTP (a CI job after runbooks merge), one run at a
 * time, answering with the `--json` summary; `GET /v1/admin/ingest` shows the last run. Both
 * need ADMIN_API_KEY as the bearer token, whatever API_KEYS allow.
 */
export function registerAdminRoutes(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.use("/v1/admin/*", requireAdminKey(deps.adminApiKey));

  let last: IngestRun | undefined;
  app.post("/v1/admin/ingest", async (context) => {
    if (last?.status === "running") {
      throw new KbError("index_busy", `An ingest started at ${last.startedAt} is still running`, {
        retryAfterSeconds: 5,
        safeToShow: true,
      });
    }
    const startedAt = new Date().toISOString();
    last = { status: "running", startedAt };
    try {
      const summary = await deps.ingest();
      last = { status: "succeeded", startedAt, finishedAt: new Date().toISOString(), summary };
      return context.json(summary);
    } catch (error) {
      const known = error instanceof KbError ? error : undefined;
      last = {
        status: "failed",
        startedAt,
        finishedAt: new Date().toISOString(),
        error: { code: known?.code ?? "internal", message: known?.message ?? "the ingest failed" },
      };
      throw error;
    }
  });
  app.get("/v1/admin/ingest", (context) => context.json(last ?? { status: "never_run" }));
}
