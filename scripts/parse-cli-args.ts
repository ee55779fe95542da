import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

const helpOption = { help: { type: "boolean", short: "h", default: false } } as const;

/**
 * A command's flags, the same way for every script: `-h`/`--help` prints `usage` and exits 0;
 * an unknown or malformed flag prints what is wrong, then `usage`, and exits 2.
 */
export function parseCliArgs<const Options extends ParseArgsOptionsConfig>(
  usage: string,
  options: Options,
) {
  const config = {
    options: { ...options, ...helpOption },
    strict: true,
    allowPositionals: false,
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    process.exit(2);
  }
  // The options are generic here, so TypeScript cannot see that `help` is among them.
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed.values;
}
