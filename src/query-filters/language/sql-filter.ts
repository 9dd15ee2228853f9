import { Condition, FilterScope } from './columns';
import { OperatorField } from './filter-fields';
import { combine, Operator, SqlFragment } from './sql-fragment';

const isCondition = (c: Condition): c is SqlFragment => c !== undefined;

/**
 * A filter object of Prefect's filter language: it lists its own conditions and turns
 * itself into one SQL condition on a given table. Subclasses only say which conditions
 * their fields produce, using the Column operators.
 */
export abstract class SqlFilter {
  /** The conditions of the present fields (Prefect's `_get_filter_list`); undefined entries are skipped (compat F1). */
  protected abstract conditions(scope: FilterScope): Condition[];

  /** How this object joins its conditions; objects without an `operator` field always AND them (compat F3). */
  protected get effectiveOperator(): Operator {
    return 'and_';
  }

  filterList(scope: FilterScope): SqlFragment[] {
    return this.conditions(scope).filter(isCondition);
  }

  /** This filter as one condition: TRUE when it has none (compat F2). */
  toSql(scope: FilterScope): SqlFragment {
    return combine(this.effectiveOperator, this.filterList(scope));
  }
}

/** A filter object with an `operator` field (compat F3). */
export abstract class OperatorFilter extends SqlFilter {
  @OperatorField()
  operator?: Operator | null;

  protected override get effectiveOperator(): Operator {
    return this.operator ?? 'and_';
  }
}

/** A present child filter counts as its condition, TRUE when empty (compat F4). */
export function child(filter: SqlFilter | null | undefined, scope: FilterScope): Condition {
  return filter ? filter.toSql(scope) : undefined;
}

/**
 * A state child (`type` / `name` of a run's `state` filter, compat Q1): left out entirely when
 * it yields no condition (not even TRUE). Prefect also drops a child with two conditions
 * (any_ plus a non-empty not_any_); this API deliberately applies both, ANDed.
 */
export function stateChild(filter: SqlFilter | null | undefined, scope: FilterScope): Condition {
  const list = filter?.filterList(scope) ?? [];
  return list.length === 0 ? undefined : combine('and_', list);
}
