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
import type { CreatedBy, FlowRunResponse } from './dto/flow-run-response.dto';
import type { FlowRunEntity } from './flow-run.entity';
import type { RunQueryFilters } from '../query-bodies';
import { FLOW_RUN_SORT_ORDER, FlowRunSort } from './dto/flow-runs-query.dto';

export const FLOW_RUN_POLICY_DEFAULTS = {
  max_retries: 0,
  retry_delay_seconds: 0,
  retries: null,
  retry_delay: null,
  pause_keys: [],
  resuming: false,
  retry_type: null,
};

const SELECT_FLOW_RUN = `SELECT fr.id, ${isoTimestamp('fr.created')}, ${isoTimestamp('fr.updated')}, fr.name, fr.flow_id,
    fr.deployment_id, fr.deployment_version, fr.work_queue_id, fr.work_queue_name, fr.flow_version, fr.parameters,
    fr.idempotency_key, fr.context, fr.empirical_policy, fr.tags, fr.labels, fr.parent_task_run_id, fr.state_type,
    fr.state_name, fr.run_count, ${isoTimestamp('fr.expected_start_time')}, ${isoTimestamp('fr.next_scheduled_start_time')},
    ${isoTimestamp('fr.start_time')}, ${isoTimestamp('fr.end_time')}, fr.total_run_time, ${estimatedTimesSql('fr')},
    fr.auto_scheduled, fr.infrastructure_document_id, fr.infrastructure_pid, fr.created_by,
    wp.id AS work_pool_id, wp.name AS work_pool_name, fr.state, fr.job_variables
  FROM flow_run fr
  LEFT JOIN work_queue wq ON wq.id = fr.work_queue_id
  LEFT JOIN work_pool wp ON wp.id = wq.work_pool_id`;

export function toFlowRun(row: RunRow<FlowRunResponse>): FlowRunResponse {
  const state = renderState(row.state);
  const ts = (v: string | null) => trimZeroFraction(v);
  return {
    id: row.id,
    created: ts(row.created) as string,
    updated: ts(row.updated) as string,
    name: row.name,
    flow_id: row.flow_id,
    state_id: state?.id ?? null,
    deployment_id: row.deployment_id,
    deployment_version: row.deployment_version,
    work_queue_id: row.work_queue_id,
    work_queue_name: row.work_queue_name,
    flow_version: row.flow_version,
    parameters: row.parameters,
    idempotency_key: row.idempotency_key,
    context: row.context,
    empirical_policy: { ...FLOW_RUN_POLICY_DEFAULTS, ...row.empirical_policy },
    tags: row.tags,
    labels: row.labels ?? {},
    parent_task_run_id: row.parent_task_run_id,
    state_type: row.state_type,
    state_name: row.state_name,
    run_count: row.run_count,
    ...runTimeFields(row),
    auto_scheduled: row.auto_scheduled,
    infrastructure_document_id: row.infrastructure_document_id,
    infrastructure_pid: row.infrastructure_pid,
    created_by: row.created_by && {
      id: row.created_by.id,
      type: row.created_by.type,
      display_value: row.created_by.display_value,
    },
    work_pool_id: row.work_pool_id,
    work_pool_name: row.work_pool_name,
    state,
    job_variables: row.job_variables,
  };
}

export interface NewFlowRun {
  id: string;
  flow_id: string;
  name: string;
  flow_version: string | null;
  parameters: Record<string, unknown>;
  context: Record<string, unknown>;
  parent_task_run_id: string | null;
  infrastructure_document_id: string | null;
  empirical_policy: Record<string, unknown>;
  tags: string[];
  labels: KeyValueLabels;
  idempotency_key: string | null;
  work_queue_name: string | null;
  work_queue_id: string | null;
  job_variables: Record<string, unknown>;
  deployment_id: string | null;
  created_by: CreatedBy | null;
}

const FLOW_RUN = new FilterScope('fr');
const RUN_FLOW = new FilterScope('run_flow');
const RUN_TASK = new FilterScope('run_task');
const RUN_DEPLOYMENT = new FilterScope('run_deployment');
const RUN_QUEUE = new FilterScope('run_queue');
const RUN_POOL = new FilterScope('run_pool');

/**
 * The WHERE clause of a flow-run listing, composed as Prefect's `_apply_flow_run_filters`: the flow-run filter on
 * the run, then one EXISTS per related group (the run's deployment, its work queue and pool, its flow, a task run
 * of it). A present group requires the related row even when its filter is empty.
 */
export function flowRunQueryWhere(filters: RunQueryFilters): SqlFragment {
  const { flows, flow_runs, task_runs, deployments, work_pools, work_pool_queues } = filters;
  const parts: SqlFragment[] = [];
  if (flow_runs) parts.push(flow_runs.toSql(FLOW_RUN));
  if (deployments)
    parts.push(
      relatedRowExists('SELECT 1 FROM deployment run_deployment WHERE run_deployment.id = fr.deployment_id', [
        deployments.toSql(RUN_DEPLOYMENT),
      ]),
    );
  if (work_pools)
    parts.push(
      relatedRowExists(
        `SELECT 1 FROM work_queue run_queue JOIN work_pool run_pool ON run_pool.id = run_queue.work_pool_id
          WHERE run_queue.id = fr.work_queue_id`,
        [work_pools.toSql(RUN_POOL)],
      ),
    );
  if (work_pool_queues)
    parts.push(
      relatedRowExists('SELECT 1 FROM work_queue run_queue WHERE run_queue.id = fr.work_queue_id', [
        work_pool_queues.toSql(RUN_QUEUE),
      ]),
    );
  if (flows)
    parts.push(relatedRowExists('SELECT 1 FROM flow run_flow WHERE run_flow.id = fr.flow_id', [flows.toSql(RUN_FLOW)]));
  if (task_runs)
    parts.push(
      relatedRowExists('SELECT 1 FROM task_run run_task WHERE run_task.flow_run_id = fr.id', [
        task_runs.toSql(RUN_TASK),
      ]),
    );
  return and(parts);
}

/** Queries on `flow_run`. */
export class FlowRunRepository extends RunRepository<FlowRunEntity, FlowRunResponse, RunQueryFilters, FlowRunSort> {
  protected readonly table = 'flow_run';
  protected readonly alias = 'fr';
  protected readonly selectRun = SELECT_FLOW_RUN;
  protected readonly sortOrder = FLOW_RUN_SORT_ORDER;
  protected readonly where = flowRunQueryWhere;
  protected readonly toRun = toFlowRun;
  protected readonly parentTaskRunIdColumn = 'parent_task_run_id';
  protected readonly flowRunIdColumn = 'id';

  /**
   * INSERT ... ON CONFLICT (flow_id, idempotency_key) DO NOTHING: true only for the call whose
   * insert added the row (a NULL key never conflicts). Concurrent creates with one key wait on
   * each other in the unique index, so exactly one inserts.
   */
  async insertIfAbsent(run: NewFlowRun, state: StoredState, times: RunTimes): Promise<boolean> {
    const rows = await this.rows(
      `INSERT INTO flow_run (id, flow_id, name, flow_version, parameters, context, parent_task_run_id,
          infrastructure_document_id, empirical_policy, tags, labels, idempotency_key, work_queue_name, work_queue_id,
          job_variables, deployment_id, created_by, ${RUN_STATE_COLUMN_LIST})
       VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ${RUN_STATE_PLACEHOLDERS})
       ON CONFLICT (flow_id, idempotency_key) DO NOTHING RETURNING id`,
      [
        run.id,
        run.flow_id,
        run.name,
        run.flow_version,
        jsonb(run.parameters),
        jsonb(run.context),
        run.parent_task_run_id,
        run.infrastructure_document_id,
        jsonb(run.empirical_policy),
        jsonb(run.tags),
        jsonb(run.labels),
        run.idempotency_key,
        run.work_queue_name,
        run.work_queue_id,
        jsonb(run.job_variables),
        run.deployment_id,
        jsonb(run.created_by),
        ...runStateParams(state, times),
      ],
    );
    return rows.length > 0;
  }

  async findIdByIdempotencyKey(flowId: string, key: string): Promise<string | undefined> {
    return (
      await this.one<{ id: string }>(`SELECT id FROM flow_run WHERE flow_id = ? AND idempotency_key = ?`, [flowId, key])
    )?.id;
  }
}
