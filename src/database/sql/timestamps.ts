/**
 * SQL helpers shared by the repositories. Statements use `?` placeholders (knex style);
 * every user value is a bind parameter, never text in the statement.
 */

/** A timestamptz column rendered as Prefect renders it: UTC, microseconds, `Z`. */
export function isoTimestamp(column: string, alias = column.replace(/^.*\./, '')): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "${alias}"`;
}

/** Prefect leaves out a fraction that is exactly zero. */
export function trimZeroFraction(ts: string | null): string | null {
  return ts !== null && ts.endsWith('.000000Z') ? `${ts.slice(0, -8)}Z` : ts;
}
