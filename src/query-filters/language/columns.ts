import { fragment, pgArray, SQL_FALSE, SqlFragment } from './sql-fragment';

/** What a filter operator yields: a condition, or undefined when the operator is absent or a no-op. */
export type Condition = SqlFragment | undefined;

/** PostgreSQL element types of the columns filters compare against. */
export type ColumnType = 'uuid' | 'text' | 'state_type' | 'timestamptz' | 'boolean';

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;
const nonEmpty = <T>(v: readonly T[] | null | undefined): v is readonly T[] => present(v) && v.length > 0;

/**
 * A column (or column expression) and the operators of Prefect's filter vocabulary on it.
 * Each operator implements one of the combination rules of compat F1-F11.
 */
export class Column {
  constructor(
    readonly sql: string,
    readonly type: ColumnType,
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

  /** `like_`: case-insensitive substring, value not escaped so `%`/`_` stay wildcards (compat F6, F9). */
  like(value: string | null | undefined): Condition {
    if (!present(value) || value === '') return undefined;
    return fragment(`${this.sql} ILIKE '%' || ? || '%'`, value);
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
}

/**
 * Above this many tags a list is matched against each row's own tags instead: `jsonb_exists_all`/`_any` take the
 * list apart again for every row, so 20,000 distinct tags over 100,000 flows ran into the statement timeout
 * (compat V6). Short lists, the common case the bench measures, keep the functions.
 */
const LONG_TAG_LIST = 64;

/**
 * A JSONB array of strings (tags), compat F11. `jsonb_exists_all`/`_any` are the functions
 * behind `?&`/`?|`, spelled so that `?` stays free for placeholders.
 */
export class TagsColumn {
  constructor(readonly sql: string) {}

  /** Every listed tag is present; applies only when non-empty (compat F6). */
  all(values: readonly string[] | null | undefined): Condition {
    if (!nonEmpty(values)) return undefined;
    if (values.length <= LONG_TAG_LIST) return fragment(`jsonb_exists_all(${this.sql}, ?::text[])`, pgArray(values));
    // A row holds every one of n distinct tags only if it has at least n elements: most rows are ruled out by
    // their length, the rest by a hashed membership test over their own (few) tags.
    const distinct = [...new Set(values)];
    return fragment(
      `(jsonb_array_length(${this.sql}) >= ? AND (SELECT count(DISTINCT e.tag) FROM jsonb_array_elements_text(${this.sql}) AS e(tag) WHERE e.tag = ANY(?::text[])) = ?)`,
      distinct.length,
      pgArray(distinct),
      distinct.length,
    );
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

/** A condition on a related row: EXISTS (`subquery` AND condition); absent or FALSE pass through. */
export function existsWhere(subquery: string, condition: Condition): Condition {
  if (condition === undefined || condition === SQL_FALSE) return condition;
  return fragment(`EXISTS (${subquery} AND ${condition.sql})`, ...condition.params);
}
