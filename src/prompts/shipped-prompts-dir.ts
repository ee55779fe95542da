import { fileURLToPath } from "node:url";

/**
 * Where the prompt files shipped with the server are: beside this module, in `src/prompts/`
 * under tsx and in `dist/server/prompts/` compiled (`npm run build` copies them there).
 */
export const shippedPromptsDir = fileURLToPath(new URL(".", import.meta.url));
