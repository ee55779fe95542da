import matter from "gray-matter";
import { parse as parseYaml } from "yaml";
import { en } from "zod/locales";
import * as z from "zod/mini";
import { KbError } from "../errors.js";
import { type Prompt, type PromptName, promptPlaceholders } from "./prompt.js";

/** A prompt is a page; more than this is a wrong file. Characters. */
const maxPromptChars = 64 * 1024;

const PromptFrontmatter = z.strictObject({
  version: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  description: z.optional(z.string()),
  audiences: z.optional(
    z.strictObject({
      reporter: z.string().check(z.minLength(1)),
      resolver: z.string().check(z.minLength(1)),
    }),
  ),
});

/** zod/mini sets no messages of its own. */
const englishMessages = en().localeError;

const refuseExecutable = () => {
  throw new Error("executable front matter (---js) is not allowed; use YAML");
};

/**
 * A prompt file's text to a Prompt: markdown with YAML front matter (`version`, and for
 * draft-reply `audiences`), read as KB frontmatter is (the `yaml` package with an alias limit,
 * no executable front matter). Throws `invalid_prompt` naming `path` and what is wrong.
 */
export function parsePromptFile(
  text: string,
  name: PromptName,
  path: string,
  source: Prompt["source"],
): Prompt {
  const fail = (reason: string, cause?: unknown): never => {
    throw new KbError("invalid_prompt", `${path}: ${reason}`, cause ? { cause } : {});
  };
  if (text.length > maxPromptChars) fail(`longer than ${maxPromptChars} characters`);
  let data: unknown;
  let body: string;
  try {
    // Passing options also turns off gray-matter's cache keyed by file content.
    const parsed = matter(text.replace(/^\uFEFF/, ""), {
      engines: {
        yaml: (yaml: string) => parseYaml(yaml, { maxAliasCount: 100 }) ?? {},
        js: refuseExecutable,
        javascript: refuseExecutable,
      },
    });
    data = parsed.data;
    body = parsed.content.trim();
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return fail(`invalid front matter: ${message}`, error);
  }
  const parsed = z.safeParse(PromptFrontmatter, data ?? {}, { error: englishMessages });
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `${[...issue.path, key].join(".")}: is not a known field`)
        : [`${issue.path.join(".") || "front matter"}: ${issue.message}`],
    );
    return fail(`invalid front matter: ${problems.join("; ")}`);
  }
  if (body === "") fail("the prompt's text is empty");
  const allowed = promptPlaceholders[name];
  const used = new Set([...body.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].map((match) => match[1]));
  const unknown = [...used].filter((placeholder) => !allowed.includes(placeholder ?? ""));
  if (unknown.length > 0) {
    fail(
      `unknown placeholder ${unknown.map((item) => `{{${item}}}`).join(", ")}; ${name} takes ${allowed.length === 0 ? "none" : allowed.map((item) => `{{${item}}}`).join(", ")}`,
    );
  }
  const missing = allowed.filter((placeholder) => !used.has(placeholder));
  if (missing.length > 0)
    fail(`missing placeholder ${missing.map((item) => `{{${item}}}`).join(", ")}`);
  if (allowed.includes("audience") && !parsed.data.audiences) {
    fail("audiences: needs a text for reporter and for resolver");
  }
  return {
    name,
    version: parsed.data.version,
    template: body,
    audiences: parsed.data.audiences ?? {},
    source,
    path,
  };
}
