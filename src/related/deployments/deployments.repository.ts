import { isoTimestamp, trimZeroFraction } from '../../database/sql/timestamps';
import { jsonb, SqlRepository } from '../../database/sql/sql-repository';
import type { KeyValueLabels } from '../labels';
import type { DeploymentResponse } from './dto/deployment-response.dto';
import type { DeploymentEntity } from './deployment.entity';

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
    return (await this.rows(`DELETE FROM deployment WHERE id = ? RETURNING id`, [id])).length > 0;
  }
}
