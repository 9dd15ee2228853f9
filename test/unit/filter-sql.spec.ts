import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { combine, FilterScope, pgArray, SQL_FALSE, SQL_TRUE } from '../../src/query-filters/language';
import { FlowFilter } from '../../src/query-filters/schemas/flow-filter.dto';
import { flowQueryWhere } from '../../src/flows/flows.repository';
import { FlowRunFilterState } from '../../src/query-filters/schemas/flow-run-filter.dto';
import { TaskRunFilterFlowRunId } from '../../src/query-filters/schemas/task-run-filter.dto';
import { DeploymentFilter } from '../../src/query-filters/schemas/deployment-filter.dto';
import { WorkPoolFilter } from '../../src/query-filters/schemas/work-pool-filter.dto';
import { FlowRunFilter } from '../../src/query-filters/schemas/flow-run-filter.dto';
import { TaskRunFilter } from '../../src/query-filters/schemas/task-run-filter.dto';

const fr = new FilterScope('fr');
const sqlOf = <T extends { toSql(s: FilterScope): { sql: string; params: readonly unknown[] } }>(
  cls: new () => T,
  plain: object,
  scope = fr,
) => plainToInstance(cls, plain).toSql(scope);

describe('filter SQL vocabulary', () => {
  describe('combine', () => {
    it('no condition is TRUE under either operator (compat F2)', () => {
      expect(combine('and_', [])).toBe(SQL_TRUE);
      expect(combine('or_', [])).toBe(SQL_TRUE);
    });
    it('folds constants exactly', () => {
      const x = { sql: 'x', params: [1] };
      expect(combine('and_', [SQL_TRUE, x])).toBe(x);
      expect(combine('and_', [SQL_FALSE, x])).toBe(SQL_FALSE);
      expect(combine('or_', [SQL_TRUE, x])).toBe(SQL_TRUE);
      expect(combine('or_', [SQL_FALSE, x])).toBe(x);
      expect(combine('or_', [SQL_FALSE, SQL_FALSE])).toBe(SQL_FALSE);
    });
    it('joins with AND / OR in parentheses, params in order', () => {
      expect(
        combine('or_', [
          { sql: 'a = ?', params: [1] },
          { sql: 'b = ?', params: [2] },
        ]),
      ).toEqual({ sql: '(a = ? OR b = ?)', params: [1, 2] });
    });
  });

  describe('column operators', () => {
    const name = fr.column('name', 'text');
    it('any_: one array parameter; [] is FALSE; absent is nothing (compat F5)', () => {
      expect(name.any(['a', 'b'])).toEqual({ sql: 'fr.name = ANY(?::text[])', params: ['{"a","b"}'] });
      expect(name.any([])).toBe(SQL_FALSE);
      expect(name.any(null)).toBeUndefined();
      expect(name.any(undefined)).toBeUndefined();
    });
    it('not_any_ / like_ only when non-empty (compat F6); like_ is not escaped (compat F9)', () => {
      expect(name.notAny(['a'])).toEqual({ sql: 'fr.name <> ALL(?::text[])', params: ['{"a"}'] });
      expect(name.notAny([])).toBeUndefined();
      expect(name.like('%a_')).toEqual({ sql: "fr.name ILIKE '%' || ? || '%'", params: ['%a_'] });
      expect(name.like('')).toBeUndefined();
    });
    it('like_ on a column with a lower-cased index compares the lower-cased text with LIKE (same rows as ILIKE)', () => {
      const flowName = new FilterScope('flow').foldedColumn('name');
      expect(flowName.like('%A_')).toEqual({
        sql: "coalesce(CASE WHEN octet_length(flow.name) <= 600 THEN lower(flow.name) END, lower(flow.name)) LIKE lower('%' || ? || '%')",
        params: ['%A_'],
      });
      expect(flowName.like('')).toBeUndefined();
      expect(flowName.any(['a'])).toEqual({ sql: 'flow.name = ANY(?::text[])', params: ['{"a"}'] });
    });
    it('is_null_, eq_, before_/after_ (compat F7, F10)', () => {
      expect(name.isNull(true)?.sql).toBe('fr.name IS NULL');
      expect(name.isNull(false)?.sql).toBe('fr.name IS NOT NULL');
      expect(name.isNull(null)).toBeUndefined();
      expect(fr.column('paused', 'boolean').eq(false)?.sql).toBe('fr.paused IS FALSE');
      expect(fr.column('t', 'timestamptz').before('2024-01-01T00:00:00Z')).toEqual({
        sql: 'fr.t <= ?::timestamptz',
        params: ['2024-01-01T00:00:00Z'],
      });
      expect(fr.column('t', 'timestamptz').after('x')?.sql).toBe('fr.t >= ?::timestamptz');
    });
    it('tags (compat F11)', () => {
      const tags = fr.tags();
      expect(tags.all(['a', 'b'])).toEqual({ sql: 'fr.tags @> ?::jsonb', params: ['["a","b"]'] });
      expect(tags.all([])).toBeUndefined();
      expect(tags.any([])).toBe(SQL_FALSE);
      expect(tags.isNull(true)?.sql).toBe("fr.tags = '[]'::jsonb");
      expect(tags.isNull(false)?.sql).toBe("fr.tags <> '[]'::jsonb");
    });
    it('pgArray quotes and escapes elements', () => {
      expect(pgArray(['a"b', 'c\\d', 'e,f', '{}', 'NULL'])).toBe('{"a\\"b","c\\\\d","e,f","{}","NULL"}');
      expect(pgArray([])).toBe('{}');
    });
  });

  describe('filter DTOs', () => {
    it('F4 example: an empty child under or_ makes the whole filter TRUE', () => {
      expect(sqlOf(FlowFilter, { operator: 'or_', name: {}, tags: { all_: ['x'] } }, new FilterScope('flow'))).toBe(
        SQL_TRUE,
      );
    });

    it('Q1: empty state children are left out, not TRUE', () => {
      expect(sqlOf(FlowRunFilterState, { operator: 'or_', type: {}, name: { any_: ['X'] } })).toEqual({
        sql: 'fr.state_name = ANY(?::text[])',
        params: ['{"X"}'],
      });
      expect(sqlOf(FlowRunFilterState, { type: { not_any_: [] } })).toBe(SQL_TRUE);
      expect(sqlOf(FlowRunFilterState, { type: { any_: [] } })).toBe(SQL_FALSE);
    });

    it('Q1 deviation: any_ with a non-empty not_any_ applies both, ANDed inside the child', () => {
      expect(
        sqlOf(FlowRunFilterState, {
          operator: 'or_',
          type: { any_: ['RUNNING'], not_any_: ['FAILED'] },
          name: { any_: ['X'] },
        }).sql,
      ).toBe(
        '((fr.state_type = ANY(?::state_type[]) AND fr.state_type <> ALL(?::state_type[])) OR fr.state_name = ANY(?::text[]))',
      );
    });

    it('TaskRunFilterFlowRunId: is_null_ defaults to false', () => {
      const tr = new FilterScope('tr');
      expect(sqlOf(TaskRunFilterFlowRunId, {}, tr).sql).toBe('tr.flow_run_id IS NOT NULL');
      expect(sqlOf(TaskRunFilterFlowRunId, { is_null_: true, any_: ['a'] }, tr).sql).toBe('tr.flow_run_id IS NULL');
      expect(sqlOf(TaskRunFilterFlowRunId, { any_: ['a'] }, tr).sql).toBe('tr.flow_run_id = ANY(?::uuid[])');
      expect(sqlOf(TaskRunFilterFlowRunId, { is_null_: null, any_: null }, tr)).toBe(SQL_TRUE);
      expect(sqlOf(TaskRunFilterFlowRunId, { is_null_: null }, tr)).toBe(SQL_TRUE);
    });

    it('concurrency_limit adds no condition at all', () => {
      const d = new FilterScope('d');
      expect(sqlOf(DeploymentFilter, { concurrency_limit: { ge_: 1 } }, d)).toBe(SQL_TRUE);
      expect(sqlOf(DeploymentFilter, { operator: 'or_', concurrency_limit: {}, paused: { eq_: true } }, d).sql).toBe(
        'd.paused IS TRUE',
      );
    });

    it('created_by id_ compares the JSON id text', () => {
      expect(sqlOf(FlowRunFilter, { created_by: { id_: ['x'] } }).sql).toBe("(fr.created_by->>'id') = ANY(?::text[])");
    });
  });

  describe('flowQueryWhere (compat G1)', () => {
    const build = (plain: Record<string, object>) =>
      flowQueryWhere({
        flows: plain.flows && plainToInstance(FlowFilter, plain.flows),
        deployments: plain.deployments && plainToInstance(DeploymentFilter, plain.deployments),
        work_pools: plain.work_pools && plainToInstance(WorkPoolFilter, plain.work_pools),
        flow_runs: plain.flow_runs && plainToInstance(FlowRunFilter, plain.flow_runs),
        task_runs: plain.task_runs && plainToInstance(TaskRunFilter, plain.task_runs),
      });

    it('no groups: TRUE', () => {
      expect(build({})).toBe(SQL_TRUE);
    });

    it('an empty related group still requires a related row; joins only when needed', () => {
      expect(build({ deployments: {} }).sql).toBe('EXISTS (SELECT 1 FROM deployment d WHERE d.flow_id = flow.id)');
      expect(build({ work_pools: {} }).sql).toBe(
        'EXISTS (SELECT 1 FROM deployment d JOIN work_queue wq ON wq.id = d.work_queue_id JOIN work_pool wp ON wp.id = wq.work_pool_id WHERE d.flow_id = flow.id)',
      );
      expect(build({ flow_runs: {} }).sql).toBe('EXISTS (SELECT 1 FROM flow_run fr WHERE fr.flow_id = flow.id)');
      expect(build({ task_runs: {} }).sql).toBe(
        'EXISTS (SELECT 1 FROM flow_run fr JOIN task_run tr ON tr.flow_run_id = fr.id WHERE fr.flow_id = flow.id)',
      );
      expect(build({ task_runs: { flow_run_id: {} } }).sql).toBe(
        'EXISTS (SELECT 1 FROM flow_run fr JOIN task_run tr ON tr.flow_run_id = fr.id WHERE fr.flow_id = flow.id AND tr.flow_run_id IS NOT NULL)',
      );
    });

    it('same row: both groups inside one EXISTS, params in statement order', () => {
      const where = build({
        flows: { name: { like_: 'a' } },
        deployments: { name: { any_: ['d'] } },
        work_pools: { type: { any_: ['k'] } },
      });
      expect(where.sql).toBe(
        "(coalesce(CASE WHEN octet_length(flow.name) <= 600 THEN lower(flow.name) END, lower(flow.name)) LIKE lower('%' || ? || '%') AND EXISTS (SELECT 1 FROM deployment d JOIN work_queue wq ON wq.id = d.work_queue_id JOIN work_pool wp ON wp.id = wq.work_pool_id WHERE d.flow_id = flow.id AND (d.name = ANY(?::text[]) AND wp.type = ANY(?::text[]))))",
      );
      expect(where.params).toEqual(['a', '{"d"}', '{"k"}']);
    });
  });
});
