/**
 * LanceDB filters are SQL strings. Every value that reaches one goes through
 * here, modelled on `toSQL` in LanceDB's nodejs/lancedb/util.ts.
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) return "false";
  return `${column} IN (${values.map(sqlString).join(", ")})`;
}

/** Split long IN-lists so that no single filter grows without bound. */
export function inGroups<T>(values: readonly T[], size = 500): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < values.length; start += size) {
    groups.push(values.slice(start, start + size));
  }
  return groups;
}
