import {
  and,
  FilterScope,
  fragment,
  pgArray,
  relatedRowExists,
  SQL_TRUE,
  SqlFragment,
} from '../query-filters/language';
import { isoTimestamp, trimZeroFraction } from '../database/sql/timestamps';
import { SqlRepository } from '../database/sql/sql-repository';
import type { FlowQueryFilters } from './dto/flows-query.dto';
import { FLOW_SORT_ORDER, FlowSort } from './dto/flow-sort';
import type { Flow } from './dto/flow.dto';
import type { SimpleNextFlowRun } from './dto/ui-flows.dto';
import type { Labels } from './dto/flow-create.dto';
import type { FlowEntity } from './flow.entity';

/** The flow columns in response order (compat C8), timestamps already in Prefect's format. */
export const FLOW_COLUMNS = [
  'flow.id',
  isoTimestamp('flow.created'),
  isoTimestamp('flow.updated'),
  'flow.name',
  'flow.tags',
  'flow.labels',
].join(', ');

/** Parameters: name, tags (JSON text), labels (JSON text or null), name again. Shared with the bench baseline. */
export const GET_OR_CREATE_FLOW = `WITH inserted AS (
    INSERT INTO flow (name, tags, labels) VALUES (?, ?::jsonb, ?::jsonb)
    ON CONFLICT (name) DO NOTHING RETURNING ${FLOW_COLUMNS}
  )
  SELECT inserted.*, true AS created_now FROM inserted
  UNION ALL
  SELECT ${FLOW_COLUMNS}, false AS created_now FROM flow WHERE flow.name = ? AND NOT EXISTS (SELECT 1 FROM inserted)`;

/** The exact number of flows, from the slots the flow_count triggers keep (migration 20261126233000). */
export const COUNT_ALL_FLOWS = 'SELECT coalesce(sum(n), 0) AS count FROM flow_count';

interface FlowRow extends Record<string, unknown> {
  id: string;
  created: string;
  updated: string;
  name: string;
  tags: string[];
  labels: Labels | null;
}

export function toFlow(row: FlowRow): Flow {
  return {
    id: row.id,
    created: trimZeroFraction(row.created) as string,
    updated: trimZeroFraction(row.updated) as string,
    name: row.name,
    tags: row.tags,
    labels: row.labels,
  };
}

const FLOW = new FilterScope('flow');
const DEPLOYMENT = new FilterScope('d');
const WORK_POOL = new FilterScope('wp');
const FLOW_RUN = new FilterScope('fr');
const TASK_RUN = new FilterScope('tr');

/**
 * The WHERE clause of every flow query (compat G1): the flow filter on `flow`, then one
 * EXISTS per related group, so the deployment and work-pool conditions hold on the same
 * deployment and the flow-run and task-run conditions on the same pair, with no duplicate
 * flows. A present group requires a related row even when its filter is empty.
 */
export function flowQueryWhere(filters: FlowQueryFilters): SqlFragment {
  const { flows, deployments, work_pools, flow_runs, task_runs } = filters;
  const parts: SqlFragment[] = [];
  if (flows) parts.push(flows.toSql(FLOW));
  if (deployments || work_pools) {
    const joins = work_pools
      ? ' JOIN work_queue wq ON wq.id = d.work_queue_id JOIN work_pool wp ON wp.id = wq.work_pool_id'
      : '';
    parts.push(
      relatedRowExists(`SELECT 1 FROM deployment d${joins} WHERE d.flow_id = flow.id`, [
        deployments?.toSql(DEPLOYMENT),
        work_pools?.toSql(WORK_POOL),
      ]),
    );
  }
  if (flow_runs || task_runs) {
    const join = task_runs ? ' JOIN task_run tr ON tr.flow_run_id = fr.id' : '';
    parts.push(
      relatedRowExists(`SELECT 1 FROM flow_run fr${join} WHERE fr.flow_id = flow.id`, [
        flow_runs?.toSql(FLOW_RUN),
        task_runs?.toSql(TASK_RUN),
      ]),
    );
  }
  return and(parts);
}

const NAME_SORTS: ReadonlySet<FlowSort> = new Set([FlowSort.NAME_ASC, FlowSort.NAME_DESC]);

/** The filter groups of a flow query, as DTOs or as plain JSON (the bench baseline decides the same way). */
export interface FlowFilterGroups {
  flows?: object | null;
  deployments?: unknown;
  work_pools?: unknown;
  flow_runs?: unknown;
  task_runs?: unknown;
}

const present = (v: unknown) => v !== null && v !== undefined;

/**
 * Whether the filters read nothing but `flow.name` (no filter at all, or only `flows.name`): then a page in name
 * order can be picked from the name index alone (see flowPageSql). Decided from the request, when the SQL is built.
 */
export function readsOnlyName(filters: FlowFilterGroups): boolean {
  const { flows, deployments, work_pools, flow_runs, task_runs } = filters;
  if ([deployments, work_pools, flow_runs, task_runs].some(present)) return false;
  if (!present(flows)) return true;
  return Object.entries(flows).every(([key, value]) => key === 'name' || key === 'operator' || !present(value));
}

/**
 * A page of flows matching `where`, with `?` for LIMIT and OFFSET (shared with the bench baseline).
 *
 * When the filter reads only the name (`byNameOnly`, see readsOnlyName) and the order is by name, the page is chosen
 * by name alone and joined back for the other columns: PostgreSQL walks the name index without visiting the table
 * (an index-only scan), 3x to 4x faster at 1M flows for a common like_ term. Any other filter (tags, deployments,
 * runs) has to read the rows anyway, so there the join back only added work (about 800 buffers a request for a
 * tags filter at 100k flows): a flat SELECT ... ORDER BY ... LIMIT ... OFFSET.
 */
export function flowPageSql(where: string, sort: FlowSort, byNameOnly: boolean): string {
  const order = FLOW_SORT_ORDER[sort];
  if (!byNameOnly || !NAME_SORTS.has(sort))
    return `SELECT ${FLOW_COLUMNS} FROM flow WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return `SELECT ${FLOW_COLUMNS} FROM (SELECT flow.name FROM flow WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?) page
    JOIN flow ON flow.name = page.name ORDER BY ${order}`;
}

/** bulk_delete's selection: up to `?` flows matching `where`, in name order (picked by name, as flowPageSql does). */
export function firstByNameSql(where: string): string {
  return `flow.name IN (SELECT flow.name FROM flow WHERE ${where} ORDER BY ${FLOW_SORT_ORDER[FlowSort.NAME_ASC]} LIMIT ?)`;
}

/**
 * Deletes the flows `selection` picks, and their deployments (a hard delete, as Prefect does; their runs go by
 * cascade), in one statement and so one transaction. Returns the ids it deleted: a flow removed meanwhile by a
 * concurrent delete is not reported twice. Shared with the bench baseline.
 */
export function deleteFlowsSql(selection: string): string {
  return `WITH doomed AS (SELECT flow.id FROM flow WHERE ${selection}),
            dropped_deployments AS (DELETE FROM deployment WHERE flow_id IN (SELECT id FROM doomed))
       DELETE FROM flow WHERE id IN (SELECT id FROM doomed) RETURNING flow.id`;
}

export interface FlowPage {
  sort: FlowSort;
  limit: number;
  offset: number;
}

/**
 * Queries on `flow`. Reads return plain response rows straight from SQL (no entity
 * hydration: the response is JSON anyway); all statements run on the request's
 * EntityManager fork, inside its transaction when there is one.
 */
export class FlowRepository extends SqlRepository<FlowEntity> {
  /**
   * Get-or-create by name in one round trip: `INSERT ... ON CONFLICT (name) DO NOTHING RETURNING`, and in the
   * same statement the stored row when nothing was inserted. `created` comes from the insert itself.
   * Undefined only when a concurrent create committed the name after this statement's snapshot was taken.
   */
  async getOrCreate(
    name: string,
    tags: string[],
    labels: Labels | null,
  ): Promise<{ flow: Flow; created: boolean } | undefined> {
    const [row] = await this.rows<FlowRow & { created_now: boolean }>(
      GET_OR_CREATE_FLOW,
      [name, JSON.stringify(tags), labels === null ? null : JSON.stringify(labels), name],
      { prepare: true },
    );
    return row && { flow: toFlow(row), created: row.created_now };
  }

  async findById(id: string): Promise<Flow | undefined> {
    const [row] = await this.rows<FlowRow>(`SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.id = ?`, [id], {
      prepare: true,
    });
    return row && toFlow(row);
  }

  async findByName(name: string): Promise<Flow | undefined> {
    const [row] = await this.rows<FlowRow>(`SELECT ${FLOW_COLUMNS} FROM flow WHERE flow.name = ?`, [name], {
      prepare: true,
    });
    return row && toFlow(row);
  }

  async findLabels(id: string): Promise<Labels | null> {
    const [row] = await this.rows<FlowRow>(`SELECT flow.labels FROM flow WHERE flow.id = ?`, [id]);
    return row?.labels ?? null;
  }

  /** Applies the present fields and bumps `updated`; false when the flow does not exist. */
  async updateTags(id: string, tags: string[] | undefined): Promise<boolean> {
    const set = tags === undefined ? '' : 'tags = ?::jsonb, ';
    const params = tags === undefined ? [id] : [JSON.stringify(tags), id];
    const rows = await this.rows<FlowRow>(
      `UPDATE flow SET ${set}updated = now() WHERE id = ? RETURNING flow.id`,
      params,
    );
    return rows.length > 0;
  }

  /** Deletes one flow (deployments and runs go by cascade); false when it did not exist. */
  async deleteById(id: string): Promise<boolean> {
    const rows = await this.rows<FlowRow>(`DELETE FROM flow WHERE id = ? RETURNING flow.id`, [id]);
    return rows.length > 0;
  }

  /** One page of the flows matching the filters. */
  async findMatching(filters: FlowQueryFilters, page: FlowPage): Promise<Flow[]> {
    const where = flowQueryWhere(filters);
    const rows = await this.rows<FlowRow>(flowPageSql(where.sql, page.sort, readsOnlyName(filters)), [
      ...where.params,
      page.limit,
      page.offset,
    ]);
    return rows.map(toFlow);
  }

  /**
   * How many flows match the filters (the same WHERE as findMatching, no limit). With no condition
   * at all, the trigger-maintained `flow_count` answers instead of a scan of the whole table.
   */
  async countMatching(filters: FlowQueryFilters): Promise<number> {
    const where = flowQueryWhere(filters);
    const [row] =
      where === SQL_TRUE
        ? await this.rows<{ count: string }>(COUNT_ALL_FLOWS, [], { prepare: true })
        : await this.rows<{ count: string }>(`SELECT count(*) AS count FROM flow WHERE ${where.sql}`, [
            ...where.params,
          ]);
    return Number(row.count);
  }

  /** Deletes these flows and their deployments in one statement (deleteFlowsSql); returns the ids it deleted. */
  async deleteMany(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.deleteWhere(fragment('flow.id = ANY(?::uuid[])', pgArray(ids)));
  }

  /** bulk_delete: up to `limit` flows matching `filters` in name order, selected and deleted in one statement. */
  async deleteMatching(filters: FlowQueryFilters, limit: number): Promise<string[]> {
    const where = flowQueryWhere(filters);
    return this.deleteWhere(fragment(firstByNameSql(where.sql), ...where.params, limit));
  }

  private async deleteWhere(selection: SqlFragment): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(deleteFlowsSql(selection.sql), selection.params);
    return rows.map((r) => r.id);
  }

  /** Deployment counts of the given flows, 0 for flows without any (and for unknown ids). */
  async countDeployments(ids: readonly string[]): Promise<{ id: string; n: number }[]> {
    return this.rows<{ id: string; n: number }>(
      `SELECT f.id::text AS id, count(DISTINCT d.id)::int AS n
         FROM unnest(?::uuid[]) AS f(id) LEFT JOIN deployment d ON d.flow_id = f.id
        GROUP BY f.id`,
      [pgArray(ids)],
    );
  }

  /** Each flow's SCHEDULED run with the earliest next_scheduled_start_time (flows without one are absent). */
  async nextScheduledRuns(ids: readonly string[]): Promise<SimpleNextFlowRun[]> {
    const rows = await this.rows<SimpleNextFlowRun>(
      `SELECT DISTINCT ON (fr.flow_id) fr.id, fr.flow_id, fr.name, fr.state_name, fr.state_type::text AS state_type,
              ${isoTimestamp('fr.next_scheduled_start_time')}
         FROM flow_run fr
        WHERE fr.flow_id = ANY(?::uuid[]) AND fr.state_type = 'SCHEDULED'
        ORDER BY fr.flow_id, fr.next_scheduled_start_time ASC NULLS LAST, fr.id`,
      [pgArray(ids)],
    );
    return rows.map((r) => ({ ...r, next_scheduled_start_time: trimZeroFraction(r.next_scheduled_start_time) }));
  }
}
