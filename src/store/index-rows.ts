import {
  Field,
  FixedSizeList,
  Float32,
  Int32,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";

/** One stored chunk: what retrieval filters on, shows, and ranks. */
export interface ChunkRow {
  id: string;
  docPath: string;
  chunkIndex: number;
  headingPath: string[];
  title: string;
  kind: string;
  services: string[];
  tags: string[];
  severity: string | null;
  updated: string | null;
  text: string;
  searchText: string;
  /** sha256 of searchText: finds a stored vector for text that did not change. */
  textHash: string;
  vector: Float32Array;
}

/** One stored document: the manifest re-ingest diffs against, and the metadata the API shows. */
export interface DocumentRow {
  path: string;
  contentHash: string;
  chunkerVersion: number;
  title: string;
  kind: string;
  services: string[];
  tags: string[];
  aliases: string[];
  severity: string | null;
  owner: string | null;
  updated: string | null;
  date: string | null;
  impact: string | null;
  rootCause: string | null;
  resolution: string | null;
  runbooks: string[];
  /** Frontmatter keys we do not model, as JSON. */
  extra: string;
  chunkCount: number;
  ingestedAt: string;
}

const textList = () => new List(new Field("item", new Utf8(), true));
const required = (name: string, type: Utf8 | Int32 | List | FixedSizeList) =>
  new Field(name, type, false);
const optional = (name: string) => new Field(name, new Utf8(), true);

export function chunkSchema(dimensions: number): Schema {
  return new Schema([
    required("id", new Utf8()),
    required("doc_path", new Utf8()),
    required("chunk_index", new Int32()),
    required("heading_path", textList()),
    required("title", new Utf8()),
    required("kind", new Utf8()),
    required("services", textList()),
    required("tags", textList()),
    optional("severity"),
    optional("updated"),
    required("text", new Utf8()),
    required("search_text", new Utf8()),
    required("text_hash", new Utf8()),
    required("vector", vectorType(dimensions)),
  ]);
}

export const documentSchema = new Schema([
  required("path", new Utf8()),
  required("content_hash", new Utf8()),
  required("chunker_version", new Int32()),
  required("title", new Utf8()),
  required("kind", new Utf8()),
  required("services", textList()),
  required("tags", textList()),
  required("aliases", textList()),
  optional("severity"),
  optional("owner"),
  optional("updated"),
  optional("date"),
  optional("impact"),
  optional("root_cause"),
  optional("resolution"),
  required("runbooks", textList()),
  required("extra", new Utf8()),
  required("chunk_count", new Int32()),
  required("ingested_at", new Utf8()),
]);

function vectorType(dimensions: number): FixedSizeList {
  return new FixedSizeList(dimensions, new Field("item", new Float32(), true));
}

/**
 * Build Arrow columns directly: about four times faster than LanceDB's
 * row-by-row `makeArrowTable` (measured: 0.5 s against 2 s for 30k chunks).
 */
export function chunkRowsToArrow(rows: readonly ChunkRow[], dimensions: number): Table {
  const flat = new Float32Array(rows.length * dimensions);
  rows.forEach((row, position) => {
    if (row.vector.length !== dimensions) {
      throw new Error(
        `chunk ${row.id} has a ${row.vector.length}-d vector, expected ${dimensions}`,
      );
    }
    flat.set(row.vector, position * dimensions);
  });
  const type = vectorType(dimensions);
  const vectors = makeVector(
    makeData({
      type,
      length: rows.length,
      nullCount: 0,
      child: makeData({ type: new Float32(), length: flat.length, data: flat }),
    }),
  );
  return toTable(chunkSchema(dimensions), rows.length, {
    id: utf8(rows.map((row) => row.id)),
    doc_path: utf8(rows.map((row) => row.docPath)),
    chunk_index: vectorFromArray(Int32Array.from(rows.map((row) => row.chunkIndex))),
    heading_path: lists(rows.map((row) => row.headingPath)),
    title: utf8(rows.map((row) => row.title)),
    kind: utf8(rows.map((row) => row.kind)),
    services: lists(rows.map((row) => row.services)),
    tags: lists(rows.map((row) => row.tags)),
    severity: utf8(rows.map((row) => row.severity)),
    updated: utf8(rows.map((row) => row.updated)),
    text: utf8(rows.map((row) => row.text)),
    search_text: utf8(rows.map((row) => row.searchText)),
    text_hash: utf8(rows.map((row) => row.textHash)),
    vector: vectors,
  });
}

export function documentRowsToArrow(rows: readonly DocumentRow[]): Table {
  return toTable(documentSchema, rows.length, {
    path: utf8(rows.map((row) => row.path)),
    content_hash: utf8(rows.map((row) => row.contentHash)),
    chunker_version: vectorFromArray(Int32Array.from(rows.map((row) => row.chunkerVersion))),
    title: utf8(rows.map((row) => row.title)),
    kind: utf8(rows.map((row) => row.kind)),
    services: lists(rows.map((row) => row.services)),
    tags: lists(rows.map((row) => row.tags)),
    aliases: lists(rows.map((row) => row.aliases)),
    severity: utf8(rows.map((row) => row.severity)),
    owner: utf8(rows.map((row) => row.owner)),
    updated: utf8(rows.map((row) => row.updated)),
    date: utf8(rows.map((row) => row.date)),
    impact: utf8(rows.map((row) => row.impact)),
    root_cause: utf8(rows.map((row) => row.rootCause)),
    resolution: utf8(rows.map((row) => row.resolution)),
    runbooks: lists(rows.map((row) => row.runbooks)),
    extra: utf8(rows.map((row) => row.extra)),
    chunk_count: vectorFromArray(Int32Array.from(rows.map((row) => row.chunkCount))),
    ingested_at: utf8(rows.map((row) => row.ingestedAt)),
  });
}

const utf8 = (values: (string | null)[]) => vectorFromArray(values, new Utf8());
const lists = (values: string[][]) => vectorFromArray(values, textList());

function toTable(schema: Schema, length: number, columns: Record<string, Vector>): Table {
  const children = schema.fields.map((field) => {
    const column = columns[field.name];
    // vectorFromArray yields one chunk; a second would mean a builder flush we do not expect.
    if (column === undefined || column.data.length !== 1 || column.data[0] === undefined) {
      throw new Error(`column ${field.name} was not built as a single Arrow chunk`);
    }
    return column.data[0];
  });
  const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, struct)]);
}

/** Arrow list cells arrive as Vectors; make them plain arrays again. */
const textsOf = (value: unknown): string[] =>
  value === null || value === undefined ? [] : Array.from(value as Iterable<string>);

/** A chunk row read back from LanceDB (snake_case record) as a ChunkRow. */
export function chunkRowFromRecord(record: Record<string, unknown>): ChunkRow {
  return {
    id: String(record.id),
    docPath: String(record.doc_path),
    chunkIndex: Number(record.chunk_index),
    headingPath: textsOf(record.heading_path),
    title: String(record.title),
    kind: String(record.kind),
    services: textsOf(record.services),
    tags: textsOf(record.tags),
    severity: (record.severity as string | null) ?? null,
    updated: (record.updated as string | null) ?? null,
    text: String(record.text),
    searchText: String(record.search_text),
    textHash: String(record.text_hash),
    vector: Float32Array.from(record.vector as Iterable<number>),
  };
}

export function documentRowFromRecord(record: Record<string, unknown>): DocumentRow {
  const optionalText = (value: unknown) =>
    value === null || value === undefined ? null : String(value);
  return {
    path: String(record.path),
    contentHash: String(record.content_hash),
    chunkerVersion: Number(record.chunker_version),
    title: String(record.title),
    kind: String(record.kind),
    services: textsOf(record.services),
    tags: textsOf(record.tags),
    aliases: textsOf(record.aliases),
    severity: optionalText(record.severity),
    owner: optionalText(record.owner),
    updated: optionalText(record.updated),
    date: optionalText(record.date),
    impact: optionalText(record.impact),
    rootCause: optionalText(record.root_cause),
    resolution: optionalText(record.resolution),
    runbooks: textsOf(record.runbooks),
    extra: String(record.extra),
    chunkCount: Number(record.chunk_count),
    ingestedAt: String(record.ingested_at),
  };
}
