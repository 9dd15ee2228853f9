import { and, FilterScope, relatedRowExists, SqlFragment } from '../../query-filters/language';
import { isoTimestamp, trimZeroFraction } from '../../database/sql/timestamps';
import { jsonb } from '../../database/sql/sql-repository';
import type { KeyValueLabels } from '../labels';
import {
  estimatedTimesSql,
  RUN_STATE_COLUMN_LIST,
  RUN_STATE_PLACEHOLDERS,
  RunRepository,
  RunRow,
  runStateParams,
  runTimeFields,
} from '../runs/run-repository';
import { renderState, RunTimes, StoredState } from '../runs/state-transition';
import type { TaskRun } from './dto/task-run.dto';
import type { TaskRunEntity } from './task-run.entity';
import type { TaskRunQueryFilters } from '../query-bodies';
import { TASK_RUN_SORT_ORDER, TaskRunSort } from './dto/task-runs-query.dto';

export const TASK_RUN_POLICY_DEFAULTS = {
  max_retries: 0,
  retry_delay_seconds: 0,
  retries: null,
  retry_delay: null,
  retry_jitter_factor: null,
};

const SELECT_TASK_RUN = `SELECT tr.id, ${isoTimestamp('tr.created')}, ${isoTimestamp('tr.updated')}, tr.name, tr.flow_run_id,
    tr.task_key, tr.dynamic_key, tr.cache_key, ${isoTimestamp('tr.cache_expiration')}, tr.task_version, tr.empirical_policy,
    tr.tags, tr.labels, tr.task_inputs, tr.state_type, tr.state_name, tr.run_count, tr.flow_run_run_count,
    ${isoTimestamp('tr.expected_start_time')}, ${isoTimestamp('tr.next_scheduled_start_time')}, ${isoTimestamp('tr.start_time')},
    ${isoTimestamp('tr.end_time')}, tr.total_run_time, ${estimatedTimesSql('tr')}, tr.state
  FROM task_run tr`;

export function toTaskRun(row: RunRow<TaskRun>): TaskRun {
  const state = renderState(row.state);
  const ts = (v: string | null) => trimZeroFraction(v);
  return {
    id: row.id,
    created: ts(row.created) as string,
    updated: ts(row.updated) as string,
    name: row.name,
    flow_run_id: row.flow_run_id,
    task_key: row.task_key,
    dynamic_key: row.dynamic_key,
    cache_key: row.cache_key,
    cache_expiration: ts(row.cache_expiration),
    task_version: row.task_version,
    empirical_policy: { ...TASK_RUN_POLICY_DEFAULTS, ...row.empirical_policy },
    tags: row.tags,
    labels: row.labels,
    state_id: state?.id ?? null,
    task_inputs: row.task_inputs,
    state_type: row.state_type,
    state_name: row.state_name,
    run_count: row.run_count,
    flow_run_run_count: row.flow_run_run_count,
    ...runTimeFields(row),
    state,
  };
}

export interface NewTaskRun {
  id: string;
  name: string;
  flow_run_id: string | null;
  task_key: string;
  dynamic_key: string;
  cache_key: string | null;
  cache_expiration: string | null;
  task_version: string | null;
  empirical_policy: Record<string, unknown>;
  tags: string[];
  labels: KeyValueLabels;
  task_inputs: Record<string, unknown>;
}

const TASK_RUN = new FilterScope('tr');
const TASK_FLOW_RUN = new FilterScope('task_flow_run');
const TASK_FLOW = new FilterScope('task_flow');
const TASK_DEPLOYMENT = new FilterScope('task_deployment');

/**
 * The WHERE clause of a task-run listing, composed as Prefect's `_apply_task_run_filters`: the task-run filter on
 * the run, and one EXISTS over its flow run in which the flow-run, flow and deployment conditions hold together
 * (inner joins: a present flow or deployment group requires that row).
 */
export function taskRunQueryWhere(filters: TaskRunQueryFilters): SqlFragment {
  const { flows, flow_runs, task_runs, deployments } = filters;
  const parts: SqlFragment[] = [];
  if (task_runs) parts.push(task_runs.toSql(TASK_RUN));
  if (flows || flow_runs || deployments) {
    const joins = [
      flows ? ' JOIN flow task_flow ON task_flow.id = task_flow_run.flow_id' : '',
      deployments ? ' JOIN deployment task_deployment ON task_deployment.id = task_flow_run.deployment_id' : '',
    ].join('');
    parts.push(
      relatedRowExists(`SELECT 1 FROM flow_run task_flow_run${joins} WHERE task_flow_run.id = tr.flow_run_id`, [
        flow_runs?.toSql(TASK_FLOW_RUN),
        flows?.toSql(TASK_FLOW),
        deployments?.toSql(TASK_DEPLOYMENT),
      ]),
    );
  }
  return and(parts);
}

/** Queries on `task_run`. */
export class TaskRunRepository extends RunRepository<TaskRunEntity, TaskRun, TaskRunQueryFilters, TaskRunSort> {
  protected readonly table = 'task_run';
  protected readonly alias = 'tr';
  protected readonly selectRun = SELECT_TASK_RUN;
  protected readonly sortOrder = TASK_RUN_SORT_ORDER;
  protected readonly where = taskRunQueryWhere;
  protected readonly toRun = toTaskRun;
  protected readonly parentTaskRunIdColumn = 'NULL::uuid';
  protected readonly flowRunIdColumn = 'flow_run_id';

  /**
   * INSERT ... ON CONFLICT ... DO NOTHING: true only for the call that added the row. The key is
   * (flow_run_id, task_key, dynamic_key), or (task_key, dynamic_key) among runs without a flow run.
   */
  async insertIfAbsent(run: NewTaskRun, state: StoredState, times: RunTimes): Promise<boolean> {
    const rows = await this.rows(
      `INSERT INTO task_run (id, name, flow_run_id, task_key, dynamic_key, cache_key, cache_expiration, task_version,
          empirical_policy, tags, labels, task_inputs, ${RUN_STATE_COLUMN_LIST})
       VALUES (?, ?, ?, ?, ?, ?, ?::timestamptz, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ${RUN_STATE_PLACEHOLDERS})
       ON CONFLICT ${run.flow_run_id === null ? '(task_key, dynamic_key) WHERE flow_run_id IS NULL' : '(flow_run_id, task_key, dynamic_key)'}
       DO NOTHING RETURNING id`,
      [
        run.id,
        run.name,
        run.flow_run_id,
        run.task_key,
        run.dynamic_key,
        run.cache_key,
        run.cache_expiration,
        run.task_version,
        jsonb(run.empirical_policy),
        jsonb(run.tags),
        jsonb(run.labels),
        jsonb(run.task_inputs),
        ...runStateParams(state, times),
      ],
    );
    return rows.length > 0;
  }

  /** The labels of a flow run, or undefined when it does not exist. */
  async flowRunLabels(flowRunId: string): Promise<KeyValueLabels | undefined> {
    const row = await this.one<{ labels: KeyValueLabels | null }>(`SELECT labels FROM flow_run WHERE id = ?`, [
      flowRunId,
    ]);
    return row ? (row.labels ?? {}) : undefined;
  }

  async findIdByKeys(flowRunId: string | null, taskKey: string, dynamicKey: string): Promise<string | undefined> {
    return (
      await this.one<{ id: string }>(
        `SELECT id FROM task_run WHERE flow_run_id IS NOT DISTINCT FROM ?::uuid AND task_key = ? AND dynamic_key = ?`,
        [flowRunId, taskKey, dynamicKey],
      )
    )?.id;
  }
}
