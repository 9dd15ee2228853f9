/**
 * The baseline's filter SQL (compat G1-G2, F1-F11 and A5 in src/prefect-compat/README.md), for just the filter fields the bench scenarios
 * send. Anything else throws UnsupportedFilter, which the baseline answers with 400, so a scenario
 * that outgrows this subset shows up as a failed probe instead of a silently unfair comparison.
 *
 * Keep this in step with the SQL the app emits (src/flows/): the baseline is only a fair limit if
 * both run the same statements: lists are one array parameter, `col = ANY($1::type[])`, as in
 * src/common/filters/columns.ts.
 */

import { FLOW_SORTS, FlowSort } from '../src/flows/dto/flow-sort';
import { lowerCased } from '../src/query-filters/language/columns';

export class UnsupportedFilter extends Error {}

type Json = Record<string, unknown>;

/** Collects bind values and hands out their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** PostgreSQL array literal text, as the app's pgArray() builds it. */
function arrayLiteral(values: unknown[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `col = ANY($n::type[])`, or FALSE for an empty list (compat F5). */
function inList(col: string, type: string, values: unknown, p: Params): string {
  if (!Array.isArray(values)) throw new UnsupportedFilter(`${col}: any_ must be a list`);
  return values.length ? `${col} = ANY(${p.add(arrayLiteral(values))}::${type}[])` : 'FALSE';
}

/** Combines conditions with the object's operator; no condition is TRUE (F2, F3). */
function combine(obj: Json, conds: string[]): string {
  if (!conds.length) return 'TRUE';
  const op = obj.operator === 'or_' ? ' OR ' : ' AND ';
  return conds.length === 1 ? conds[0] : `(${conds.join(op)})`;
}

type FieldSql = (value: Json, p: Params) => string[];

/** One filter object: each present child field becomes its conditions; unknown fields are unsupported. */
function filterObject(group: string, obj: unknown, fields: Record<string, FieldSql>, p: Params): string {
  if (!isObject(obj)) throw new UnsupportedFilter(`${group} must be an object`);
  const conds: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'operator' || value === null || value === undefined) continue;
    const field = fields[key];
    if (!field || !isObject(value)) throw new UnsupportedFilter(`${group}.${key} is not supported by the baseline`);
    conds.push(combine(value, field(value, p)));
  }
  return combine(obj, conds);
}

/** Child fields: each maps its operators (any_, like_, ...) to SQL; unknown operators are unsupported. */
function ops(group: string, handlers: Record<string, (v: unknown, p: Params) => string | undefined>): FieldSql {
  return (value, p) =>
    Object.entries(value).flatMap(([op, v]) => {
      if (op === 'operator' || v === null || v === undefined) return [];
      const handler = handlers[op];
      if (!handler) throw new UnsupportedFilter(`${group}.${op} is not supported by the baseline`);
      const sql = handler(v, p);
      return sql ? [sql] : [];
    });
}

const like = (col: string) => (v: unknown, p: Params) =>
  v === '' ? undefined : `${col} ILIKE '%' || ${p.add(v)} || '%'`;
/** like_ on flow.name, as the app's FilterScope.foldedColumn: the lower-cased name with LIKE. */
const foldedLike = (col: string) => (v: unknown, p: Params) =>
  v === '' ? undefined : `${lowerCased(col)} LIKE lower('%' || ${p.add(v)} || '%')`;
const anyOf =
  (col: string, type = 'text') =>
  (v: unknown, p: Params) =>
    inList(col, type, v, p);
const eqBool = (col: string) => (v: unknown) => `${col} IS ${v ? 'TRUE' : 'FALSE'}`;

const FLOW_FIELDS: Record<string, FieldSql> = {
  id: ops('flows.id', { any_: anyOf('flow.id', 'uuid') }),
  name: ops('flows.name', { any_: anyOf('flow.name'), like_: foldedLike('flow.name') }),
  tags: ops('flows.tags', {
    all_: (v, p) => ((v as string[]).length ? `flow.tags @> ${p.add(JSON.stringify(v))}::jsonb` : undefined),
    is_null_: (v) => (v ? `flow.tags = '[]'::jsonb` : `flow.tags <> '[]'::jsonb`),
  }),
};
const DEPLOYMENT_FIELDS: Record<string, FieldSql> = {
  name: ops('deployments.name', { any_: anyOf('d.name'), like_: like('d.name') }),
  paused: ops('deployments.paused', { eq_: eqBool('d.paused') }),
};
const WORK_POOL_FIELDS: Record<string, FieldSql> = {
  name: ops('work_pools.name', { any_: anyOf('wp.name') }),
  type: ops('work_pools.type', { any_: anyOf('wp.type') }),
};
/** FlowRunFilter.state: each of `type` / `name` is kept only when it has a condition (compat Q1). */
const FLOW_RUN_FIELDS: Record<string, FieldSql> = {
  state: (state, p) => {
    const child = (key: string, col: string, type = 'text') =>
      isObject(state[key]) ? ops(`flow_runs.state.${key}`, { any_: anyOf(col, type) })(state[key] as Json, p) : [];
    for (const key of Object.keys(state)) {
      if (!['operator', 'type', 'name'].includes(key)) throw new UnsupportedFilter(`flow_runs.state.${key}`);
    }
    const conds = [...child('type', 'fr.state_type', 'state_type'), ...child('name', 'fr.state_name')];
    return conds.length ? [combine(state, conds)] : [];
  },
};

/** The WHERE clause (compat G1) for the five filter groups present in `body`. */
export function flowWhere(
  body: Json,
  p: Params,
  groups = ['flows', 'deployments', 'work_pools', 'flow_runs', 'task_runs'],
): string {
  const present = (k: string) => groups.includes(k) && body[k] !== undefined && body[k] !== null;
  const parts: string[] = [];
  if (present('flows')) parts.push(filterObject('flows', body.flows, FLOW_FIELDS, p));
  if (present('deployments') || present('work_pools')) {
    const joins = present('work_pools')
      ? ' JOIN work_queue wq ON wq.id = d.work_queue_id JOIN work_pool wp ON wp.id = wq.work_pool_id'
      : '';
    const conds = ['d.flow_id = flow.id'];
    if (present('deployments')) conds.push(filterObject('deployments', body.deployments, DEPLOYMENT_FIELDS, p));
    if (present('work_pools')) conds.push(filterObject('work_pools', body.work_pools, WORK_POOL_FIELDS, p));
    parts.push(`EXISTS (SELECT 1 FROM deployment d${joins} WHERE ${conds.join(' AND ')})`);
  }
  if (present('flow_runs') || present('task_runs')) {
    if (present('task_runs')) throw new UnsupportedFilter('task_runs is not supported by the baseline');
    const conds = ['fr.flow_id = flow.id', filterObject('flow_runs', body.flow_runs, FLOW_RUN_FIELDS, p)];
    parts.push(`EXISTS (SELECT 1 FROM flow_run fr WHERE ${conds.join(' AND ')})`);
  }
  return parts.filter((c) => c !== 'TRUE').join(' AND ') || 'TRUE';
}

/** The request's sort (NAME_ASC when absent); the app's FLOW_SORT_ORDER gives its ORDER BY. */
export function sortOf(sort: unknown): FlowSort {
  const value = (sort as string | null | undefined) ?? FlowSort.NAME_ASC;
  if (!(FLOW_SORTS as string[]).includes(value)) throw new UnsupportedFilter(`sort ${String(sort)}`);
  return value as FlowSort;
}
