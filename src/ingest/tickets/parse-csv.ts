/** One CSV record and the 1-based line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvContents {
  records: CsvRecord[];
  /** A quote left open at the end of the file: the record it starts is lost, and named. */
  problems: { line: number; reason: string }[];
}

/**
 * RFC 4180 CSV: records end at CRLF or LF; a field in double quotes may hold
 * the delimiter, line breaks and `""` for a quote. Lenient where exports are
 * sloppy: a quote inside an unquoted field is kept as a character, and text
 * after a closing quote joins the field. A leading byte order mark is the
 * caller's to strip. One pass over the text, no regexes, no backtracking.
 */
export function parseCsv(text: string, delimiter = ","): CsvContents {
  const records: CsvRecord[] = [];
  const problems: CsvContents["problems"] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let position = 0;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (RFC 4180 has none; exports end with one).
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  while (position < text.length) {
    const character = text[position] as string;
    if (quoted) {
      if (character === '"') {
        if (text[position + 1] === '"') {
          field += '"';
          position += 2;
          continue;
        }
        quoted = false;
      } else {
        if (character === "\n") line++;
        field += character;
      }
      position++;
      continue;
    }
    if (character === '"' && field === "") {
      quoted = true;
    } else if (character === delimiter) {
      fields.push(field);
      field = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[position + 1] === "\n") position++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += character;
    }
    position++;
  }
  if (quoted) {
    problems.push({
      line: recordLine,
      reason: "a quoted field is never closed: the rest of the file was read as one field",
    });
  } else if (field !== "" || fields.length > 0) {
    endRecord();
  }
  return { records, problems };
}
