import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

const helpOption = { help: { type: "boolean", short: "h", default: false } } as const;

/** A malformed command line: prints `message`, a blank line and `usage`, and exits 2. */
export function refuseCommandLine(usage: string, message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

function parse<const Options extends ParseArgsOptionsConfig, const Positionals extends boolean>(
  usage: string,
  options: Options,
  allowPositionals: Positionals,
) {
  const config = {
    options: { ...options, ...helpOption },
    strict: true,
    allowPositionals,
  } as const;
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    refuseCommandLine(usage, error instanceof Error ? error.message : String(error));
  }
  // The options are generic here, so TypeScript cannot see that `help` is among them.
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return parsed;
}

/**
 * A command's flags, the same way for every script: `-h`/`--help` prints `usage` and exits 0;
 * an unknown or malformed flag, or an operand, prints what is wrong, then `usage`, and exits 2.
 */
export function parseCliArgs<const Options extends ParseArgsOptionsConfig>(
  usage: string,
  options: Options,
) {
  return parse(usage, options, false).values;
}

/** parseCliArgs for a command that also takes operands (arguments that are not flags). */
export function parseCliArgsAndOperands<const Options extends ParseArgsOptionsConfig>(
  usage: string,
  options: Options,
) {
  const { values, positionals } = parse(usage, options, true);
  return { values, operands: positionals };
}

/** Number() without its blank string read as 0. */
const toNumber = (raw: string) => (raw.trim() === "" ? Number.NaN : Number(raw));
const isWholeNumber = (value: number, min: number) => Number.isSafeInteger(value) && value >= min;

/** `raw` as `--flag`'s whole number of at least `min`, or a message saying what is wrong. */
export function wholeNumberOrError(flag: string, raw: string, min: number): number | string {
  const value = toNumber(raw);
  return isWholeNumber(value, min)
    ? value
    : `--${flag} must be a whole number of at least ${min}, got "${raw}"`;
}

/** `raw` as `--flag`'s comma-separated whole numbers, each at least `min`, or what is wrong. */
export function wholeNumbersOrError(flag: string, raw: string, min: number): number[] | string {
  const values = raw.split(",").map(toNumber);
  return values.every((value) => isWholeNumber(value, min))
    ? values
    : `--${flag} must be whole numbers of at least ${min} separated by commas, got "${raw}"`;
}

/** The range a decimal flag must fall in: `min` included, or `above` excluded. */
export type NumberRange = { min: number } | { above: number };

/** `raw` as `--flag`'s (possibly fractional) number within `range`, or what is wrong. */
export function numberOrError(flag: string, raw: string, range: NumberRange): number | string {
  const value = toNumber(raw);
  const inRange = "above" in range ? value > range.above : value >= range.min;
  if (Number.isFinite(value) && inRange) return value;
  const bound = "above" in range ? `above ${range.above}` : `of at least ${range.min}`;
  return `--${flag} must be a number ${bound}, got "${raw}"`;
}

function orRefuse<Value extends number | number[]>(usage: string, checked: Value | string): Value {
  if (typeof checked === "string") refuseCommandLine(usage, checked);
  return checked;
}

/** `--flag`'s whole number of at least `min`; anything else names the flag, prints `usage`, exits 2. */
export function wholeNumberFlag(usage: string, flag: string, raw: string, min: number): number {
  return orRefuse(usage, wholeNumberOrError(flag, raw, min));
}

/** `--flag`'s comma-separated whole numbers (`500,1000`), each at least `min`; else exits 2. */
export function wholeNumbersFlag(usage: string, flag: string, raw: string, min: number): number[] {
  return orRefuse(usage, wholeNumbersOrError(flag, raw, min));
}

/** `--flag`'s number (`0.5` allowed) within `range`; anything else names the flag, exits 2. */
export function numberFlag(usage: string, flag: string, raw: string, range: NumberRange): number {
  return orRefuse(usage, numberOrError(flag, raw, range));
}
