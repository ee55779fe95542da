/** The prompts the server writes with; each is a file `<name>.md`. */
export const promptNames = ["ask", "draft-reply", "triage", "tools"] as const;
export type PromptName = (typeof promptNames)[number];

/** A prompt file, read and checked. */
export interface Prompt {
  name: PromptName;
  /** The file's `version:`, reported in `done.promptVersion` and in the logs. */
  version: string;
  /** The body, its `{{placeholders}}` checked against those the prompt takes. */
  template: string;
  /** Named texts a placeholder is filled from (draft-reply: one per audience). */
  audiences: Readonly<Record<string, string>>;
  /** `shipped` with the server, or `kb` when `<KB_DIR>/prompts/` overrides it. */
  source: "shipped" | "kb";
  path: string;
}

/** Each prompt's placeholders: every one must appear, and no other. */
export const promptPlaceholders: Record<PromptName, readonly string[]> = {
  ask: ["boundary"],
  "draft-reply": ["boundary", "audience"],
  triage: ["labels", "tags", "notes"],
  tools: [],
};

/** Where workflows read prompts from: the live prompt source, or a fixed set in a tool. */
export interface PromptLibrary {
  current(name: PromptName): Prompt;
}
