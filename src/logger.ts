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
  /** Where each JSON line goes; stderr by default so stdout stays machine-readable. */
  write?: (line: string) => void;
  /** Fields added to every record (for example a request id). */
  base?: LogFields;
}

/** Structured logs: one JSON object per line. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const minimum = levelRank[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (levelRank[level] < minimum) return;
    const record = { time: new Date().toISOString(), level, message, ...options.base, ...fields };
    write(`${JSON.stringify(record, errorReplacer)}\n`);
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

/** Errors serialise to `{}` by default, which would hide exactly what a log is for. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
  }
  return value;
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
