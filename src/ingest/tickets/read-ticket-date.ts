const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

const isoDate =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;
/** Jira's default export: `14/Mar/26 2:05 PM`. */
const namedMonthDate =
  /^(\d{1,2})[/ -]([a-z]{3})[a-z]*[/ -](\d{2}|\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?$/i;
/** `03/14/2026 14:05`, `14.03.2026`: which number is the day is the mapping's `day_first`. */
const numericDate =
  /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]m)?)?$/i;

export interface ReadDateOptions {
  /** `14/03/2026` is 14 March when true, invalid when false (default: month first, as US exports write it). */
  dayFirst?: boolean;
}

/**
 * A date as exports write it, to ISO 8601 UTC (`2026-03-14T14:05:00Z`), or
 * undefined when it is not one. A time without a zone is read as UTC.
 */
export function readTicketDate(text: string, options: ReadDateOptions = {}): string | undefined {
  const value = text.trim();
  let match = isoDate.exec(value);
  if (match) {
    const [, year, month, day, hour, minute, second, zone] = match;
    return toIso(
      Number(year),
      Number(month),
      Number(day),
      Number(hour ?? 0),
      Number(minute ?? 0),
      Number(second ?? 0),
      zoneMinutes(zone),
    );
  }
  match = namedMonthDate.exec(value);
  if (match) {
    const [, day, monthName, year, hour, minute, second, meridiem] = match;
    const month = months.indexOf((monthName ?? "").toLowerCase()) + 1;
    if (month === 0) return undefined;
    return toIso(
      fullYear(year ?? ""),
      month,
      Number(day),
      clockHour(Number(hour ?? 0), meridiem),
      Number(minute ?? 0),
      Number(second ?? 0),
      0,
    );
  }
  match = numericDate.exec(value);
  if (match) {
    const [, first, second, year, hour, minute, seconds, meridiem] = match;
    const [day, month] = options.dayFirst ? [first, second] : [second, first];
    return toIso(
      Number(year),
      Number(month),
      Number(day),
      clockHour(Number(hour ?? 0), meridiem),
      Number(minute ?? 0),
      Number(seconds ?? 0),
      0,
    );
  }
  return undefined;
}

function fullYear(year: string): number {
  // Two-digit years are this century's: ticket histories do not reach back to 1999.
  return year.length === 2 ? 2000 + Number(year) : Number(year);
}

function clockHour(hour: number, meridiem: string | undefined): number {
  if (!meridiem) return hour;
  if (hour < 1 || hour > 12) return Number.NaN;
  const pm = meridiem.toLowerCase() === "pm";
  return (hour % 12) + (pm ? 12 : 0);
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc)$/i.test(zone)) return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

function toIso(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number,
): string | undefined {
  if (![year, month, day, hour, minute, second].every(Number.isInteger)) return undefined;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: a day the month lacks is no date.
  if (new Date(local).getUTCDate() !== day) return undefined;
  return new Date(local - offsetMinutes * 60_000).toISOString().replace(".000Z", "Z");
}
