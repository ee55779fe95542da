export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  level?: LogLevel;
  /** Configured secrets (API keys): never written, wherever they turn up (an upstream echoing one). */
  secrets?: readonly string[];
  /** Where each JSON line goes; stderr by default so stdout stays machine-readable. */
  write?: (line: string) => void;
  /** Fields added to every record (for example a request id). */
  base?: LogFields;
}

/** Structured logs: one JSON object per line. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minimum = levelRank[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const redact = redactor(options.secrets ?? []);
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (levelRank[level] < minimum) return;
    const record = { time: new Date().toISOString(), level, message, ...options.base, ...fields };
    write(`${redact(JSON.stringify(record, errorReplacer))}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/**
 * Masks the configured secrets, and what looks like one whoever wrote it: bearer tokens,
 * `sk-…` keys, `api_key=…` pairs, and credentials in URLs. Applied to the whole line, so an
 * upstream error that echoes a key is caught wherever in the record it sits.
 */
function redactor(secrets: readonly string[]): (line: string) => string {
  const exact = secrets.filter((secret) => secret.length >= 8);
  return (line) => {
    let masked = line;
    for (const secret of exact) masked = masked.replaceAll(secret, "[redacted]");
    return masked
      .replace(/\b(Bearer\s+)[\w.~+/=-]{8,}/gi, "$1[redacted]")
      .replace(/\bsk-[\w-]{12,}/g, "sk-[redacted]")
      .replace(
        /\b((?:api[_-]?key|token|secret|password)["'\\]*\s*[:=]\s*["'\\]*)[^\s"'\\,}]{6,}/gi,
        "$1[redacted]",
      )
      .replace(/(\w+:\/\/)[^\s/:@"]+:[^\s/@"]+@/g, "$1[redacted]@");
  };
}

/** Errors serialise to `{}` by default, which would hide exactly what a log is for. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  }
  return value;
}

/** The same logger with `fields` on every line: a request's id, on all it logs, however deep. */
export function withFields(logger: Logger, fields: LogFields): Logger {
  const log = (level: LogLevel) => (message: string, more?: LogFields) =>
    logger[level](message, { ...fields, ...more });
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
