import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { ServiceEntry } from "../contract/service-entry.js";
import { KbError } from "../errors.js";
import { labelKey } from "../taxonomy/label-key.js";
import { createServiceCatalogue, type ServiceCatalogue } from "./service-catalogue.js";
import { ServiceCatalogueFile } from "./service-catalogue-file.js";

/** A catalogue is a few hundred services; more than this is a wrong file. Characters. */
const maxCatalogueChars = 1024 * 1024;

/** Where the catalogue lives in the KB folder, first found wins. */
export const catalogueFileNames = ["services.yaml", "services.yml"] as const;

/** What a catalogue is checked against beyond itself. */
export interface CatalogueChecks {
  /** The KB folder: each runbook path must be a file in it. */
  kbDir: string;
  /** The taxonomy's team names; null without a taxonomy (owners are then not checked). */
  teams: readonly string[] | null;
}

/**
 * A catalogue read cleanly, and what in it points nowhere. A runbook path the KB lacks or an
 * owner the taxonomy does not know is a warning, not a refusal: a renamed runbook or a new team
 * must not take every service's owner and on-call away with it.
 */
export interface CatalogueReading {
  catalogue: ServiceCatalogue;
  /** Each names the file and the entry; [] when every reference resolves. */
  warnings: string[];
}

/**
 * The catalogue file's text, validated. Throws `invalid_service_catalogue` naming `path`, each
 * bad field and its service. YAML as for the taxonomy: an alias limit against "billion laughs".
 */
export function parseServiceCatalogue(
  yamlText: string,
  path: string,
  checks: CatalogueChecks,
): CatalogueReading {
  if (yamlText.length > maxCatalogueChars) throw tooLong(path);
  let data: unknown;
  try {
    data = parseYaml(yamlText.replace(/^\uFEFF/, ""), { maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    throw new KbError("invalid_service_catalogue", `${path}: not valid YAML: ${message}`, {
      cause: error,
    });
  }
  const parsed = ServiceCatalogueFile.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: fieldName(issue.path, data),
      message: issue.message,
    }));
    throw new KbError(
      "invalid_service_catalogue",
      `${path}: invalid service catalogue: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join("; ")}`,
      { details: problems },
    );
  }
  const services: ServiceEntry[] = parsed.data.services.map((service) => ({
    name: service.name,
    aliases: service.aliases,
    description: service.description,
    owner: service.owner,
    onCall: service.on_call,
    tier: service.tier,
    dependencies: service.dependencies,
    runbooks: service.runbooks,
    dashboards: service.dashboards,
  }));
  const teams = checks.teams === null ? null : new Set(checks.teams.map(labelKey));
  const warnings = services.flatMap((service, position) => {
    const entry = `${path}: services.${position} (${service.name})`;
    return [
      ...(teams === null || teams.has(labelKey(service.owner))
        ? []
        : [`${entry}: owner "${service.owner}" is not a team of the taxonomy`]),
      ...service.runbooks
        .filter((runbook) => !existsSync(join(checks.kbDir, runbook)))
        .map((runbook) => `${entry}: runbook "${runbook}" is not a file of the KB`),
    ];
  });
  return {
    catalogue: createServiceCatalogue(parsed.data.version, services, basename(path)),
    warnings,
  };
}

/** The path of the KB folder's catalogue file, or null when it has none. */
export function findServiceCatalogueFile(kbDir: string): string | null {
  const name = catalogueFileNames.find((candidate) => existsSync(join(kbDir, candidate)));
  return name === undefined ? null : join(kbDir, name);
}

/** `services.yaml` (or `.yml`) of the KB folder; null when there is none. Throws as parseServiceCatalogue. */
export function readServiceCatalogueFile(
  kbDir: string,
  teams: readonly string[] | null,
): CatalogueReading | null {
  const path = findServiceCatalogueFile(kbDir);
  if (path === null) return null;
  let text: string;
  try {
    // Refused before reading: UTF-8 takes at most 4 bytes a character.
    if (statSync(path).size > maxCatalogueChars * 4) throw tooLong(path);
    text = new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    if (error instanceof KbError) throw error;
    // Deleted between the look and the read: as if it had never been there.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    const reason = error instanceof TypeError ? "not valid UTF-8" : (error as Error).message;
    throw new KbError("invalid_service_catalogue", `${path}: cannot be read: ${reason}`, {
      cause: error,
    });
  }
  return parseServiceCatalogue(text, path, { kbDir, teams });
}

/** `services.3 (checkout-api).dependencies.0`: the entry named, so a long file's problem is found. */
function fieldName(path: readonly PropertyKey[], data: unknown): string {
  if (path.length === 0) return "catalogue";
  const [first, position, ...rest] = path;
  if (first !== "services" || typeof position !== "number") return path.join(".");
  const services = (data as { services?: unknown } | null)?.services;
  const given = Array.isArray(services)
    ? (services[position] as { name?: unknown } | undefined)?.name
    : undefined;
  const entry =
    typeof given === "string" || typeof given === "number"
      ? `services.${position} (${String(given).trim()})`
      : `services.${position}`;
  return [entry, ...rest].join(".");
}

const tooLong = (path: string) =>
  new KbError(
    "invalid_service_catalogue",
    `${path}: the service catalogue is longer than ${maxCatalogueChars} characters`,
  );
