import * as z from "zod/mini";
import { ServiceEntry } from "./service-entry.js";

/** `GET /v1/services`: the whole catalogue, in the file's order. */
export const ServiceListResponse = z.object({
  /** The file's `version:`; null when the KB has no catalogue (and `services` is empty). */
  version: z.nullable(z.string()),
  services: z.array(ServiceEntry),
});
export type ServiceListResponse = z.infer<typeof ServiceListResponse>;
