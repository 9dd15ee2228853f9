import { and, FilterScope, relatedRowExists, SqlFragment } from '../../query-filters/language';
import { isoTimestamp, trimZeroFraction } from '../../database/sql/timestamps';
import { jsonb, SqlRepository } from '../../database/sql/sql-repository';
import type { KeyValueLabels } from '../labels';
import type { DeploymentResponse } from './dto/deployment-response.dto';
import type { DeploymentEntity } from './deployment.entity';
import type { RunQueryFilters } from '../query-bodies';
import { DEPLOYMENT_SORT_ORDER, DeploymentSort } from './dto/deployments-query.dto';

/** Request fields stored as deployment columns, with the cast their bind parameter needs. */
export const DEPLOYMENT_COLUMNS = {
  name: '',
  flow_id: '::uuid',
  paused: '',
  tags: '::jsonb',
  labels: '::jsonb',
  parameters: '::jsonb',
  job_variables: '::jsonb',
  pull_steps: '::jsonb',
  parameter_openapi_schema: '::jsonb',
  enforce_parameter_schema: '',
  entrypoint: '',
  path: '',
  version: '',
  description: '',
  work_queue_name: '',
  work_queue_id: '::uuid',
} as const;
export type DeploymentColumn = keyof typeof DEPLOYMENT_COLUMNS;

const SELECT_DEPLOYMENT = `SELECT d.id, ${isoTimestamp('d.created')}, ${isoTimestamp('d.updated')}, d.name, d.version, d.description,
    d.flow_id, d.paused, d.job_variables, d.parameters, d.tags, d.labels,
    COALESCE(wq.name, d.work_queue_name) AS work_queue_name, d.work_queue_id, ${isoTimestamp('d.last_polled')},
    d.parameter_openapi_schema, d.path, d.pull_steps, d.entrypoint, wp.name AS work_pool_name, d.status,
    d.enforce_parameter_schema
  FROM deployment d
  LEFT JOIN work_queue wq ON wq.id = d.work_queue_id
  LEFT JOIN work_pool wp ON wp.id = wq.work_pool_id`;

type DeploymentRow = Omit<
  DeploymentResponse,
  | 'schedules'
  | 'concurrency_limit'
  | 'global_concurrency_limit'
  | 'concurrency_options'
  | 'storage_document_id'
  | 'infrastructure_document_id'
  | 'created_by'
  | 'updated_by'
>;

/** The response in Prefect's key order; the queue and pool names are resolved through work_queue_id. */
export function toDeployment(row: DeploymentRow): DeploymentResponse {
  return {
    id: row.id,
    created: trimZeroFraction(row.created) as string,
    updated: trimZeroFraction(row.updated) as string,
    name: row.name,
    version: row.version,
    description: row.description,
    flow_id: row.flow_id,
    paused: row.paused,
    schedules: [],
    concurrency_limit: null,
    global_concurrency_limit: null,
    concurrency_options: null,
    job_variables: row.job_variables,
    parameters: row.parameters,
    tags: row.tags,
    labels: row.labels ?? {},
    work_queue_name: row.work_queue_name,
    work_queue_id: row.work_queue_id,
    last_polled: trimZeroFraction(row.last_polled),
    parameter_openapi_schema: row.parameter_openapi_schema,
    path: row.path,
    pull_steps: row.pull_steps,
    entrypoint: row.entrypoint,
    storage_document_id: null,
    infrastructure_document_id: null,
    created_by: null,
    updated_by: null,
    work_pool_name: row.work_pool_name,
    status: row.status,
    enforce_parameter_schema: row.enforce_parameter_schema,
  };
}

const DEPLOYMENT = new FilterScope('d');
const DEP_FLOW = new FilterScope('dep_flow');
const DEP_FLOW_RUN = new FilterScope('dep_run');
const DEP_TASK_RUN = new FilterScope('dep_task');
const DEP_QUEUE = new FilterScope('dep_queue');
const DEP_POOL = new FilterScope('dep_pool');

/**
 * The WHERE clause of a deployment listing, composed as Prefect's `_apply_deployment_filters`: the deployment
 * filter on the deployment; its flow; one EXISTS over its flow runs in which the flow-run and task-run conditions
 * hold for the same pair; one over its work queue in which the queue and pool conditions hold together.
 */
export function deploymentQueryWhere(filters: RunQueryFilters): SqlFragment {
  const { flows, flow_runs, task_runs, deployments, work_pools, work_pool_queues } = filters;
  const parts: SqlFragment[] = [];
  if (deployments) parts.push(deployments.toSql(DEPLOYMENT));
  if (flows)
    parts.push(relatedRowExists('SELECT 1 FROM flow dep_flow WHERE dep_flow.id = d.flow_id', [flows.toSql(DEP_FLOW)]));
  if (flow_runs || task_runs) {
    const join = task_runs ? ' JOIN task_run dep_task ON dep_task.flow_run_id = dep_run.id' : '';
    parts.push(
      relatedRowExists(`SELECT 1 FROM flow_run dep_run${join} WHERE dep_run.deployment_id = d.id`, [
        flow_runs?.toSql(DEP_FLOW_RUN),
        task_runs?.toSql(DEP_TASK_RUN),
      ]),
    );
  }
  if (work_pools || work_pool_queues) {
    const join = work_pools ? ' JOIN work_pool dep_pool ON dep_pool.id = dep_queue.work_pool_id' : '';
    parts.push(
      relatedRowExists(`SELECT 1 FROM work_queue dep_queue${join} WHERE dep_queue.id = d.work_queue_id`, [
        work_pool_queues?.toSql(DEP_QUEUE),
        work_pools?.toSql(DEP_POOL),
      ]),
    );
  }
  return and(parts);
}

export interface DeploymentPage {
  sort: DeploymentSort;
  limit: number;
  offset: number;
}

/** Queries on `deployment`. */
export class DeploymentRepository extends SqlRepository<DeploymentEntity> {
  /**
   * INSERT ... ON CONFLICT (flow_id, name) DO UPDATE of the given columns only (Prefect
   * updates the fields the request set). `inserted` comes from the statement itself
   * (xmax = 0 on a freshly inserted row), never from a clock comparison.
   */
  async upsertByFlowAndName(
    values: Partial<Record<DeploymentColumn, unknown>>,
  ): Promise<{ id: string; inserted: boolean }> {
    const columns = Object.keys(values) as DeploymentColumn[];
    const params = columns.map((c) => (DEPLOYMENT_COLUMNS[c] === '::jsonb' ? jsonb(values[c]) : values[c]));
    const updates = columns.filter((c) => c !== 'flow_id' && c !== 'name').map((c) => `${c} = EXCLUDED.${c}`);
    const row = await this.one<{ id: string; inserted: boolean }>(
      `INSERT INTO deployment (${columns.join(', ')}) VALUES (${columns.map((c) => `?${DEPLOYMENT_COLUMNS[c]}`).join(', ')})
       ON CONFLICT (flow_id, name) DO UPDATE SET ${[...updates, 'updated = now()'].join(', ')}
       RETURNING id, (xmax = 0) AS inserted`,
      params,
    );
    return row as { id: string; inserted: boolean };
  }

  async findById(id: string): Promise<DeploymentResponse | undefined> {
    const row = await this.one<DeploymentRow>(`${SELECT_DEPLOYMENT} WHERE d.id = ?`, [id]);
    return row && toDeployment(row);
  }

  /** The deployment named `name` of the flow named `flowName` (both exact, case-sensitive). */
  async findByName(flowName: string, name: string): Promise<DeploymentResponse | undefined> {
    const row = await this.one<DeploymentRow>(
      `${SELECT_DEPLOYMENT} JOIN flow dep_flow ON dep_flow.id = d.flow_id WHERE dep_flow.name = ? AND d.name = ?`,
      [flowName, name],
    );
    return row && toDeployment(row);
  }

  /** One page of the deployments matching the filters. */
  async findMatching(filters: RunQueryFilters, page: DeploymentPage): Promise<DeploymentResponse[]> {
    const rows = await this.pageWhere<DeploymentRow>(
      SELECT_DEPLOYMENT,
      deploymentQueryWhere(filters),
      DEPLOYMENT_SORT_ORDER[page.sort],
      page,
    );
    return rows.map(toDeployment);
  }

  countMatching(filters: RunQueryFilters): Promise<number> {
    return this.countWhere('deployment d', deploymentQueryWhere(filters));
  }

  async findLabels(id: string): Promise<KeyValueLabels | null | undefined> {
    const row = await this.one<{ labels: KeyValueLabels | null }>(`SELECT labels FROM deployment WHERE id = ?`, [id]);
    return row ? row.labels : undefined;
  }

  /** Deletes the deployment and, as Prefect does, its runs that are still scheduled and never ran. */
  async deleteById(id: string): Promise<boolean> {
    await this.rows(
      `DELETE FROM flow_run WHERE deployment_id = ? AND state_type = 'SCHEDULED'
          AND state_name IS DISTINCT FROM 'AwaitingConcurrencySlot' AND run_count = 0`,
      [id],
    );
    return this.deleteRowById('deployment', id);
  }
}
