import type * as z from "zod/mini";
import { AskRequest } from "./ask-request.js";

/** The body of `POST /v1/search`: the `/v1/ask` body, whose `stream` a search ignores. */
export const SearchRequest = AskRequest;
export type SearchRequest = z.infer<typeof SearchRequest>;
