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

/** How one row property is stored. */
export type ColumnKind = "text" | "optionalText" | "texts" | "integer" | "vector";

interface ColumnValue {
  text: string;
  optionalText: string | null;
  texts: string[];
  integer: number;
  vector: Float32Array;
}

/**
 * A table's columns, one entry per row property, in stored order. The column
 * is the property in snake_case (`docPath` is stored as `doc_path`).
 */
export type ColumnTable = Readonly<Record<string, ColumnKind>>;

/** The plain row a column table describes. */
export type RowOf<Columns extends ColumnTable> = {
  -readonly [Property in keyof Columns]: ColumnValue[Columns[Property]];
};

export function columnName(property: string): string {
  return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Some of a table's columns, as reads select them. */
export function pickColumns<Columns extends ColumnTable, Property extends keyof Columns & string>(
  columns: Columns,
  properties: readonly Property[],
): Pick<Columns, Property> {
  const picked: Partial<Record<Property, ColumnKind>> = {};
  for (const property of properties) picked[property] = columns[property];
  return picked as Pick<Columns, Property>;
}

export function columnNames(columns: ColumnTable): string[] {
  return Object.keys(columns).map(columnName);
}

const textList = () => new List(new Field("item", new Utf8(), true));
const vectorType = (dimensions: number) =>
  new FixedSizeList(dimensions, new Field("item", new Float32(), true));

/** `dimensions` sizes a `vector` column; tables without one need none. */
export function arrowSchemaOf(columns: ColumnTable, dimensions?: number): Schema {
  return new Schema(
    Object.entries(columns).map(([property, kind]) =>
      arrowField(columnName(property), kind, dimensions),
    ),
  );
}

function arrowField(name: string, kind: ColumnKind, dimensions: number | undefined): Field {
  switch (kind) {
    case "text":
      return new Field(name, new Utf8(), false);
    case "optionalText":
      return new Field(name, new Utf8(), true);
    case "texts":
      return new Field(name, textList(), false);
    case "integer":
      return new Field(name, new Int32(), false);
    case "vector":
      if (dimensions === undefined) throw new Error(`column ${name} needs a vector size`);
      return new Field(name, vectorType(dimensions), false);
  }
}

/**
 * Build Arrow columns directly: about four times faster than LanceDB's
 * row-by-row `makeArrowTable` (measured: 0.5 s against 2 s for 30k chunks).
 */
export function rowsToArrow<Columns extends ColumnTable>(
  columns: Columns,
  rows: readonly RowOf<Columns>[],
  dimensions?: number,
): Table {
  const schema = arrowSchemaOf(columns, dimensions);
  const children = Object.entries(columns).map(([property, kind]) => {
    const values = rows.map((row) => row[property]);
    const column = columnVector(kind, values, dimensions ?? 0, columnName(property));
    // vectorFromArray yields one chunk; a second would mean a builder flush we do not expect.
    if (column.data.length !== 1 || column.data[0] === undefined) {
      throw new Error(`column ${columnName(property)} was not built as a single Arrow chunk`);
    }
    return column.data[0];
  });
  const struct = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children,
  });
  return new Table([new RecordBatch(schema, struct)]);
}

function columnVector(
  kind: ColumnKind,
  values: unknown[],
  dimensions: number,
  name: string,
): Vector {
  switch (kind) {
    case "text":
    case "optionalText":
      return vectorFromArray(values as (string | null)[], new Utf8());
    case "texts":
      return vectorFromArray(values as string[][], textList());
    case "integer":
      return vectorFromArray(Int32Array.from(values as number[]));
    case "vector":
      return vectorColumn(values as Float32Array[], dimensions, name);
  }
}

/** One flat Float32Array under a FixedSizeList: no per-row Arrow builders. */
function vectorColumn(vectors: readonly Float32Array[], dimensions: number, name: string): Vector {
  const flat = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, position) => {
    if (vector.length !== dimensions) {
      throw new Error(
        `${name} of row ${position} has ${vector.length} values, expected ${dimensions}`,
      );
    }
    flat.set(vector, position * dimensions);
  });
  return makeVector(
    makeData({
      type: vectorType(dimensions),
      length: vectors.length,
      nullCount: 0,
      child: makeData({ type: new Float32(), length: flat.length, data: flat }),
    }),
  );
}

/**
 * The one decoder of stored rows: a LanceDB record (snake_case, Arrow list
 * cells as Vectors) back to a plain row of these columns.
 */
export function rowDecoder<Columns extends ColumnTable>(
  columns: Columns,
): (record: Record<string, unknown>) => RowOf<Columns> {
  const fields = Object.entries(columns).map(
    ([property, kind]) => [property, columnName(property), decoders[kind]] as const,
  );
  return (record) => {
    const row: Record<string, unknown> = {};
    for (const [property, name, decode] of fields) row[property] = decode(record[name]);
    return row as RowOf<Columns>;
  };
}

const decoders: { [Kind in ColumnKind]: (value: unknown) => ColumnValue[Kind] } = {
  text: (value) => String(value),
  optionalText: (value) => (value === null || value === undefined ? null : String(value)),
  texts: (value) =>
    value === null || value === undefined ? [] : Array.from(value as Iterable<string>),
  integer: (value) => Number(value),
  vector: (value) => Float32Array.from(value as Iterable<number>),
};
