import type { AnswerTool } from "../../answer/answer-tool.js";
import type { SearchDeps } from "../../retrieval/search-kb.js";
import type { Taxonomy } from "../../taxonomy/taxonomy.js";
import { findSimilarTicketsTool } from "./find-similar-tickets-tool.js";
import { type LookupService, lookupServiceTool } from "./lookup-service-tool.js";
import { openSectionTool } from "./open-section-tool.js";
import { proposeAssignmentTool } from "./propose-assignment-tool.js";
import { searchKbTool } from "./search-kb-tool.js";

/** The tool registry of an app: `lookup_service` only when a service catalogue is given. */
export function createKbTools(
  deps: SearchDeps & {
    taxonomy: () => Taxonomy | null;
    lookupService?: LookupService | undefined;
  },
): AnswerTool[] {
  return [
    searchKbTool(deps),
    openSectionTool(deps),
    ...(deps.lookupService ? [lookupServiceTool(deps.lookupService)] : []),
    findSimilarTicketsTool(deps),
    proposeAssignmentTool(deps),
  ];
}
