import { describe, expect, it } from "vitest";
import { parseCsv } from "../../../src/ingest/tickets/parse-csv.js";

const fieldsOf = (text: string, delimiter?: string) =>
  parseCsv(text, delimiter).records.map((record) => record.fields);

describe("parseCsv", () => {
  it.each([
    [
      "plain fields",
      "a,b,c\n1,2,3\n",
      [
        ["a", "b", "c"],
        ["1", "2", "3"],
      ],
    ],
    [
      "no final line break",
      "a,b\n1,2",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "CRLF line ends",
      "a,b\r\n1,2\r\n",
      [
        ["a", "b"],
        ["1", "2"],
      ],
    ],
    [
      "empty fields",
      "a,,c\n,,\n",
      [
        ["a", "", "c"],
        ["", "", ""],
      ],
    ],
    ["a delimiter inside quotes", '"a,b",c\n', [["a,b", "c"]]],
    ["escaped quotes", '"say ""hi""",x\n', [['say "hi"', "x"]]],
    ["an empty quoted field", '"",x\n', [["", "x"]]],
    ["a newline inside quotes", '"line 1\nline 2",x\n', [["line 1\nline 2", "x"]]],
    ["CRLF inside quotes kept", '"a\r\nb",x\r\n', [["a\r\nb", "x"]]],
    ["blank lines skipped", "a\n\n\nb\n", [["a"], ["b"]]],
    ["a quote inside an unquoted field kept", 'say "hi",x\n', [['say "hi"', "x"]]],
    ["text after a closing quote joined", '"a"b,x\n', [["ab", "x"]]],
    ["a semicolon delimiter", 'a;"b;c"\n', [["a", "b;c"]], ";"],
  ])("reads %s", (_name, text, fields, delimiter?: string) => {
    expect(fieldsOf(text, delimiter)).toEqual(fields);
  });

  it("numbers each record by the line it starts on, across quoted line breaks", () => {
    const { records } = parseCsv('h1,h2\n"one\ntwo\nthree",x\r\nnext,y\n');
    expect(records.map((record) => record.line)).toEqual([1, 2, 5]);
  });

  it("names the line of a quote never closed and keeps the records before it", () => {
    const { records, problems } = parseCsv('a,b\n1,2\n"open,3\n4,5\n');
    expect(records.map((record) => record.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(problems).toEqual([{ line: 3, reason: expect.stringContaining("never closed") }]);
  });
});
