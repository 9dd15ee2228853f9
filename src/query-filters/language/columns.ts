import { and, fragment, pgArray, SQL_FALSE, SQL_TRUE, SqlFragment } from './sql-fragment';

/** What a filter operator yields: a condition, or undefined when the operator is absent or a no-op. */
export type Condition = SqlFragment | undefined;

/** PostgreSQL element types of the columns filters compare against. */
export type ColumnType = 'uuid' | 'text' | 'state_type' | 'timestamptz' | 'boolean' | 'numeric';

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;
const nonEmpty = <T>(v: readonly T[] | null | undefined): v is readonly T[] => present(v) && v.length > 0;

/**
 * A column (or column expression) and the operators of Prefect's filter vocabulary on it.
 * Each operator implements one of the combination rules of compat F1-F11.
 */
export class Column {
  /**
   * @param lowered the column lower-cased, as an index stores it (see FilterScope.foldedColumn): when given, `like_`
   *   compares it with LIKE instead of the column with ILIKE.
   */
  constructor(
    readonly sql: string,
    readonly type: ColumnType,
    readonly lowered?: string,
  ) {}

  /** `any_` (also `id_`/`type_`): applies whenever present; an empty list matches nothing (compat F5). */
  any(values: readonly string[] | null | undefined): Condition {
    if (!present(values)) return undefined;
    if (values.length === 0) return SQL_FALSE;
    return fragment(`${this.sql} = ANY(?::${this.type}[])`, pgArray(values));
  }

  /**
   * `not_any_`: applies only when non-empty (compat F6). `<> ALL` is NULL for a NULL column, so
   * such rows never match, which is SQL's NOT IN behaviour (compat F8).
   */
  notAny(values: readonly string[] | null | undefined): Condition {
    if (!nonEmpty(values)) return undefined;
    return fragment(`${this.sql} <> ALL(?::${this.type}[])`, pgArray(values));
  }

  /**
   * `like_`: case-insensitive substring, value not escaped so `%`/`_` stay wildcards (compat F6, F9).
   *
   * On a column with a lower-cased index (`lowered`) it is `lower(col) LIKE lower('%' || value || '%')`, which is how
   * PostgreSQL evaluates `col ILIKE pattern` in a multi-byte (UTF-8) database: Generic_Text_IC_like lower-cases the
   * text and the pattern with the same collation, then runs the case-sensitive matcher LIKE uses. Same rows, but the
   * lower-cased text can come from an index (no lower() per row) and the trigram index on it serves the LIKE.
   */
  like(value: string | null | undefined): Condition {
    if (!present(value) || value === '') return undefined;
    if (this.lowered) return fragment(`${this.lowered} LIKE lower('%' || ? || '%')`, value);
    return fragment(`${this.sql} ILIKE '%' || ? || '%'`, value);
  }

  /**
   * `startswith_`: case-insensitive prefixes, any of which may match; the values are not escaped, so `%` and `_`
   * stay wildcards as in Prefect's `ILIKE 'value%'`. Applies only when non-empty (an empty OR is no condition).
   */
  startsWithAny(values: readonly string[] | null | undefined): Condition {
    if (!nonEmpty(values)) return undefined;
    return fragment(`${this.sql} ILIKE ANY(SELECT prefix || '%' FROM unnest(?::text[]) AS prefix)`, pgArray(values));
  }

  /** `is_null_` (compat F7). */
  isNull(flag: boolean | null | undefined): Condition {
    if (!present(flag)) return undefined;
    return fragment(`${this.sql} ${flag ? 'IS NULL' : 'IS NOT NULL'}`);
  }

  /** `eq_` on a boolean column: `IS TRUE` / `IS FALSE` (compat F7). */
  eq(flag: boolean | null | undefined): Condition {
    if (!present(flag)) return undefined;
    return fragment(`${this.sql} ${flag ? 'IS TRUE' : 'IS FALSE'}`);
  }

  /** `before_`: inclusive; a NULL column never matches (compat F8, F10). */
  before(timestamp: string | null | undefined): Condition {
    return present(timestamp) ? fragment(`${this.sql} <= ?::timestamptz`, timestamp) : undefined;
  }

  /** `after_`: inclusive; a NULL column never matches (compat F8, F10). */
  after(timestamp: string | null | undefined): Condition {
    return present(timestamp) ? fragment(`${this.sql} >= ?::timestamptz`, timestamp) : undefined;
  }

  /** `ge_` on a number column: inclusive. */
  atLeast(value: number | null | undefined): Condition {
    return present(value) ? fragment(`${this.sql} >= ?::${this.type}`, value) : undefined;
  }

  /** `le_` on a number column: inclusive. */
  atMost(value: number | null | undefined): Condition {
    return present(value) ? fragment(`${this.sql} <= ?::${this.type}`, value) : undefined;
  }
}

/**
 * Above this many tags an any_ list is matched against each row's own tags instead: `jsonb_exists_any` takes the
 * list apart again for every row, so 20,000 distinct tags over 100,000 flows ran into the statement timeout
 * (compat V6). Short lists, the common case the bench measures, keep the function.
 */
const LONG_TAG_LIST = 64;

/**
 * A JSONB array of strings (tags), compat F11. `jsonb_exists_any` is the function behind `?|`,
 * spelled so that `?` stays free for placeholders.
 */
export class TagsColumn {
  constructor(readonly sql: string) {}

  /**
   * Every listed tag is present; applies only when non-empty (compat F6). On an array of strings `@>` with
   * the list as a JSON array is Prefect's `?&` (duplicates and order do not matter), but unlike the
   * function form `jsonb_exists_all()` it has a selectivity estimate (the planner assumed a third of
   * the rows matched whatever the tags) and a GIN `jsonb_path_ops` index can serve it, which rare
   * tag sets need (ix_flow__tags_path).
   */
  all(values: readonly string[] | null | undefined): Condition {
    if (!nonEmpty(values)) return undefined;
    // De-duplicated: a repeated tag adds nothing to the test but work (compat V6).
    return fragment(`${this.sql} @> ?::jsonb`, JSON.stringify([...new Set(values)]));
  }

  /** At least one listed tag is present; an empty list matches nothing (compat F5). */
  any(values: readonly string[] | null | undefined): Condition {
    if (!present(values)) return undefined;
    if (values.length === 0) return SQL_FALSE;
    if (values.length <= LONG_TAG_LIST) return fragment(`jsonb_exists_any(${this.sql}, ?::text[])`, pgArray(values));
    return fragment(
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${this.sql}) AS e(tag) WHERE e.tag = ANY(?::text[]))`,
      pgArray(values),
    );
  }

  /** "Null" means an empty array here, not SQL NULL (compat F11). */
  isNull(flag: boolean | null | undefined): Condition {
    if (!present(flag)) return undefined;
    return fragment(`${this.sql} ${flag ? '=' : '<>'} '[]'::jsonb`);
  }
}

/** `exists_` / `is_null_` on related rows: EXISTS when true, NOT EXISTS when false. */
export function exists(subquery: string, flag: boolean | null | undefined, ...params: unknown[]): Condition {
  if (!present(flag)) return undefined;
  return fragment(`${flag ? 'EXISTS' : 'NOT EXISTS'} (${subquery})`, ...params);
}

/** Names up to this many bytes have their lower-cased form stored in ix_flow__name_lower (see lowerCased). */
export const LOWER_CASED_MAX_BYTES = 600;

/**
 * `lower(column)`, spelled as the indexes on the lower-cased flow name spell it (migration 20261203140000), so that
 * PostgreSQL matches them: the btree ix_flow__name_lower stores `CASE WHEN octet_length(name) <= 600 THEN lower(name)
 * END` beside the name (a btree entry holds at most about 2.7 kB, and the name alone may use all of it, so a long
 * name's lower-cased copy is left out: NULL, and lower() is computed for it when read), and the trigram index
 * indexes this whole expression. Equal to `lower(column)` for every value.
 */
export function lowerCased(column: string): string {
  return `coalesce(CASE WHEN octet_length(${column}) <= ${LOWER_CASED_MAX_BYTES} THEN lower(${column}) END, lower(${column}))`;
}

/**
 * The table (alias) a filter applies to. Filters name their columns through it, so the
 * same filter works on `flow_run fr` inside the flows query and on `flow_run` elsewhere.
 */
export class FilterScope {
  constructor(readonly alias: string) {}

  /** `alias.name`; names come from code, never from requests. */
  ref(name: string): string {
    return `${this.alias}.${name}`;
  }

  column(name: string, type: ColumnType): Column {
    return new Column(this.ref(name), type);
  }

  /**
   * A text column whose lower-cased value is indexed (`lower(column)`, btree and trigram): `like_` on it compares
   * the lower-cased value (see Column.like). Only for columns that have such indexes (flow.name).
   */
  foldedColumn(name: string): Column {
    return new Column(this.ref(name), 'text', lowerCased(this.ref(name)));
  }

  /** A computed expression over this table's columns. */
  expression(sql: string, type: ColumnType): Column {
    return new Column(sql, type);
  }

  tags(name = 'tags'): TagsColumn {
    return new TagsColumn(this.ref(name));
  }
}

/** `is_null_` on related rows: true asks for no related row (NOT EXISTS), false for one (EXISTS). */
export function noRelatedRow(subquery: string, isNull: boolean | null | undefined): Condition {
  return exists(subquery, present(isNull) ? !isNull : isNull);
}

/**
 * A related group of a listing: EXISTS (`subquery` AND every given condition). The group's presence alone
 * requires a related row, so with no condition it is a bare EXISTS.
 */
export function relatedRowExists(subquery: string, conditions: readonly (SqlFragment | undefined)[]): SqlFragment {
  const where = and(conditions.filter((c): c is SqlFragment => c !== undefined));
  return where === SQL_TRUE
    ? fragment(`EXISTS (${subquery})`)
    : fragment(`EXISTS (${subquery} AND ${where.sql})`, ...where.params);
}

/** A condition on a related row: EXISTS (`subquery` AND condition); absent or FALSE pass through. */
export function existsWhere(subquery: string, condition: Condition): Condition {
  if (condition === undefined || condition === SQL_FALSE) return condition;
  return fragment(`EXISTS (${subquery} AND ${condition.sql})`, ...condition.params);
}
