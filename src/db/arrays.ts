/**
 * A PostgreSQL array literal ('{"1","2"}') for one query parameter, to be cast in SQL
 * (`${pgArray(ids)}::bigint[]`). Both drivers pass it as text, so set-based statements
 * (`= any(…)`, `unnest(…)`) take thousands of values as one parameter on PGlite and pg alike.
 */
export function pgArray(values: readonly (string | bigint | number | boolean | null)[]): string {
  const items = values.map((v) => {
    if (v === null) return 'NULL';
    const s = String(v);
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}
