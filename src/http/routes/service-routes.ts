import type { Hono } from "hono";
import type { ServiceCatalogue } from "../../catalogue/service-catalogue.js";
import type { ServiceEntry } from "../../contract/service-entry.js";
import type { ServiceListResponse } from "../../contract/service-list-response.js";
import { KbError } from "../../errors.js";
import type { AppEnv } from "../app-env.js";

/** As ticket services are cut at 200 characters, a longer name names no service. */
const maxNameLength = 200;

/** `GET /v1/services` and `GET /v1/services/:name`: the KB's service catalogue. */
export function registerServiceRoutes(
  app: Hono<AppEnv>,
  deps: { catalogue: () => ServiceCatalogue | null },
): void {
  app.get("/v1/services", (context) => {
    const catalogue = deps.catalogue();
    const body: ServiceListResponse = {
      version: catalogue?.version ?? null,
      services: [...(catalogue?.services ?? [])],
    };
    return context.json(body);
  });

  app.get("/v1/services/:name", (context) => {
    const name = context.req.param("name");
    if (name.length > maxNameLength) {
      throw new KbError(
        "invalid_request",
        `Invalid request: name: must be at most ${maxNameLength} characters`,
        { details: [{ field: "name", message: `must be at most ${maxNameLength} characters` }] },
      );
    }
    const catalogue = deps.catalogue();
    const entry: ServiceEntry | undefined = catalogue?.lookup(name);
    if (!entry) {
      throw new KbError(
        "unknown_service",
        catalogue
          ? `No service named ${JSON.stringify(name)} in the service catalogue (${catalogue.file}, version ${catalogue.version}); GET /v1/services lists them`
          : `No service named ${JSON.stringify(name)}: the knowledge base has no service catalogue (services.yaml)`,
        { details: { service: name } },
      );
    }
    return context.json(entry);
  });
}
