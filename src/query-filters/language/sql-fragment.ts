/**
 * A piece of SQL with `?` placeholders and the values that fill them, in order. Filters
 * build their WHERE conditions out of these; no user value ever becomes statement text.
 */
export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export const SQL_TRUE: SqlFragment = Object.freeze({ sql: 'TRUE', params: [] });
export const SQL_FALSE: SqlFragment = Object.freeze({ sql: 'FALSE', params: [] });

export function fragment(sql: string, ...params: unknown[]): SqlFragment {
  return { sql, params };
}

/** Prefect's filter operators: how a filter combines its conditions (compat F3). */
export const OPERATORS = ['and_', 'or_'] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * Joins conditions with AND or OR. No condition is TRUE (compat F2). The TRUE/FALSE constants
 * are folded away; each fold is exact under SQL's three-valued logic (x AND TRUE = x,
 * x OR TRUE = TRUE, x AND FALSE = FALSE, x OR FALSE = x), so it only tidies the statement.
 */
export function combine(operator: Operator, conditions: readonly SqlFragment[]): SqlFragment {
  const [identity, absorbing] = operator === 'or_' ? [SQL_FALSE, SQL_TRUE] : [SQL_TRUE, SQL_FALSE];
  if (conditions.includes(absorbing)) return absorbing;
  const parts = conditions.filter((c) => c !== identity);
  if (parts.length === 0) return conditions.length === 0 ? SQL_TRUE : identity;
  if (parts.length === 1) return parts[0];
  return {
    sql: `(${parts.map((p) => p.sql).join(operator === 'or_' ? ' OR ' : ' AND ')})`,
    params: parts.flatMap((p) => p.params),
  };
}

export const and = (conditions: readonly SqlFragment[]): SqlFragment => combine('and_', conditions);

/**
 * A list as ONE bind parameter: PostgreSQL array literal text (`{"a","b"}`), cast in SQL with
 * `?::type[]`. One parameter however long the list (PostgreSQL allows 65,535 per statement), and one
 * statement text whatever the list length.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
