import * as z from "zod/mini";

/**
 * How well the knowledge base seems to cover the question:
 * - `covered`: the best sources share most of the question's content words;
 * - `weak`: sources came back but share few of them (nearest, not an answer);
 * - `none`: nothing came back.
 */
export const Coverage = z.enum(["covered", "weak", "none"]);
export type Coverage = z.infer<typeof Coverage>;
