import { FilterScope, SQL_TRUE } from '../../query-filters/language';
import type { WorkPoolFilter } from '../../query-filters/schemas/work-pool-filter.dto';
import type { WorkQueueFilter } from '../../query-filters/schemas/work-queue-filter.dto';
import { isoTimestamp, trimZeroFraction } from '../../database/sql/timestamps';
import { jsonb, SqlRepository } from '../../database/sql/sql-repository';
import { STORAGE_CONFIGURATION_DEFAULT } from './dto/work-pool-create.dto';
import type { WorkPoolResponse, WorkQueueResponse } from './dto/work-pool-response.dto';
import type { WorkPoolEntity } from './work-pool.entity';

/** States that hold a concurrency slot of a pool or queue. */
const SLOT_STATES = `('PENDING', 'RUNNING', 'CANCELLING')`;

const POOL_COLUMNS = `wp.id, ${isoTimestamp('wp.created')}, ${isoTimestamp('wp.updated')}, wp.name, wp.description, wp.type,
  wp.base_job_template, wp.is_paused, wp.concurrency_limit, wp.status, wp.default_queue_id,
  CASE WHEN wp.concurrency_limit IS NULL THEN NULL ELSE (
    SELECT count(*)::int FROM flow_run fr JOIN work_queue q ON q.id = fr.work_queue_id
     WHERE q.work_pool_id = wp.id AND fr.state_type IN ${SLOT_STATES}) END AS active_slots`;

const QUEUE_COLUMNS = `wq.id, ${isoTimestamp('wq.created')}, ${isoTimestamp('wq.updated')}, wq.name, wq.description, wq.is_paused,
  wq.concurrency_limit, wq.priority, wq.work_pool_id, ${isoTimestamp('wq.last_polled')},
  (SELECT p.name FROM work_pool p WHERE p.id = wq.work_pool_id) AS work_pool_name, wq.status,
  CASE WHEN wq.concurrency_limit IS NULL THEN NULL ELSE (
    SELECT count(*)::int FROM flow_run fr WHERE fr.work_queue_id = wq.id AND fr.state_type IN ${SLOT_STATES}) END AS active_slots`;

type PoolRow = Omit<WorkPoolResponse, 'storage_configuration'>;
type QueueRow = Omit<WorkQueueResponse, 'filter'>;

export function toWorkPool(row: PoolRow): WorkPoolResponse {
  return {
    id: row.id,
    created: trimZeroFraction(row.created) as string,
    updated: trimZeroFraction(row.updated) as string,
    name: row.name,
    description: row.description,
    type: row.type,
    base_job_template: row.base_job_template,
    is_paused: row.is_paused,
    concurrency_limit: row.concurrency_limit,
    status: row.status,
    default_queue_id: row.default_queue_id,
    storage_configuration: { ...STORAGE_CONFIGURATION_DEFAULT },
    active_slots: row.active_slots,
  };
}

export function toWorkQueue(row: QueueRow): WorkQueueResponse {
  return {
    id: row.id,
    created: trimZeroFraction(row.created) as string,
    updated: trimZeroFraction(row.updated) as string,
    name: row.name,
    description: row.description,
    is_paused: row.is_paused,
    concurrency_limit: row.concurrency_limit,
    priority: row.priority,
    work_pool_id: row.work_pool_id,
    filter: null,
    last_polled: trimZeroFraction(row.last_polled),
    work_pool_name: row.work_pool_name,
    status: row.status,
    active_slots: row.active_slots,
  };
}

export interface NewWorkPool {
  name: string;
  description: string | null;
  type: string;
  base_job_template: Record<string, unknown>;
  is_paused: boolean;
  concurrency_limit: number | null;
  status: string | null;
}

export interface NewWorkQueue {
  name: string;
  description: string | null;
  is_paused: boolean;
  concurrency_limit: number | null;
  priority: number;
}

export interface QueueRef {
  id: string;
  name: string;
  work_pool_id: string;
}

const WORK_POOL = new FilterScope('wp');
const WORK_QUEUE = new FilterScope('wq');

/** Queries on `work_pool` and on its queues (a queue only exists inside a pool). */
export class WorkPoolRepository extends SqlRepository<WorkPoolEntity> {
  /** Inserts a pool; null when the name is taken (ON CONFLICT DO NOTHING, no failed statement in the transaction). */
  async insertPool(pool: NewWorkPool): Promise<string | undefined> {
    const row = await this.one<{ id: string }>(
      `INSERT INTO work_pool (name, description, type, base_job_template, is_paused, concurrency_limit, status)
       VALUES (?, ?, ?, ?::jsonb, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [
        pool.name,
        pool.description,
        pool.type,
        jsonb(pool.base_job_template),
        pool.is_paused,
        pool.concurrency_limit,
        pool.status,
      ],
    );
    return row?.id;
  }

  async setDefaultQueue(poolId: string, queueId: string): Promise<void> {
    await this.rows(`UPDATE work_pool SET default_queue_id = ? WHERE id = ?`, [queueId, poolId]);
  }

  async findPoolById(id: string): Promise<WorkPoolResponse | undefined> {
    const row = await this.one<PoolRow>(`SELECT ${POOL_COLUMNS} FROM work_pool wp WHERE wp.id = ?`, [id]);
    return row && toWorkPool(row);
  }

  async findPoolByName(name: string): Promise<WorkPoolResponse | undefined> {
    const row = await this.one<PoolRow>(`SELECT ${POOL_COLUMNS} FROM work_pool wp WHERE wp.name = ?`, [name]);
    return row && toWorkPool(row);
  }

  /** One page of the pools matching the filter, in name order (Prefect's only order for pools). */
  async findPools(
    filter: WorkPoolFilter | null | undefined,
    limit: number,
    offset: number,
  ): Promise<WorkPoolResponse[]> {
    const where = filter ? filter.toSql(WORK_POOL) : SQL_TRUE;
    const rows = await this.pageWhere<PoolRow>(`SELECT ${POOL_COLUMNS} FROM work_pool wp`, where, 'wp.name ASC', {
      limit,
      offset,
    });
    return rows.map(toWorkPool);
  }

  async countPools(filter: WorkPoolFilter | null | undefined): Promise<number> {
    const where = filter ? filter.toSql(WORK_POOL) : SQL_TRUE;
    const [row] = await this.rows<{ count: number }>(
      `SELECT count(*)::int AS count FROM work_pool wp WHERE ${where.sql}`,
      where.params,
    );
    return row.count;
  }

  /** One page of a pool's queues matching the filter, by ascending priority (unique within a pool). */
  async findQueues(
    poolId: string,
    filter: WorkQueueFilter | null | undefined,
    limit: number,
    offset: number,
  ): Promise<WorkQueueResponse[]> {
    const where = filter ? filter.toSql(WORK_QUEUE) : SQL_TRUE;
    const rows = await this.rows<QueueRow>(
      `SELECT ${QUEUE_COLUMNS} FROM work_queue wq WHERE wq.work_pool_id = ? AND ${where.sql}
        ORDER BY wq.priority ASC, wq.id LIMIT ? OFFSET ?`,
      [poolId, ...where.params, limit, offset],
    );
    return rows.map(toWorkQueue);
  }

  async findPoolIdByName(name: string): Promise<string | undefined> {
    return (await this.one<{ id: string }>(`SELECT id FROM work_pool WHERE name = ?`, [name]))?.id;
  }

  /** The pool's id and default queue, locked so concurrent queue creations in one pool take turns. */
  async lockPoolByName(name: string): Promise<{ id: string; default_queue_id: string | null } | undefined> {
    return this.one(`SELECT id, default_queue_id FROM work_pool WHERE name = ? FOR UPDATE`, [name]);
  }

  /** Deletes a pool; its queues go by cascade and deployments/runs lose their work_queue_id (SET NULL). */
  async deletePoolByName(name: string): Promise<boolean> {
    return (await this.rows(`DELETE FROM work_pool WHERE name = ? RETURNING id`, [name])).length > 0;
  }

  /** Inserts a queue; null when the name is taken in that pool. */
  async insertQueue(poolId: string, queue: NewWorkQueue): Promise<QueueRef | undefined> {
    return this.one<QueueRef>(
      `INSERT INTO work_queue (work_pool_id, name, description, is_paused, concurrency_limit, priority)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (work_pool_id, name) DO NOTHING RETURNING id, name, work_pool_id`,
      [poolId, queue.name, queue.description, queue.is_paused, queue.concurrency_limit, queue.priority],
    );
  }

  async queuePriorities(poolId: string): Promise<{ id: string; priority: number }[]> {
    return this.rows(`SELECT id, priority FROM work_queue WHERE work_pool_id = ? ORDER BY priority, created`, [poolId]);
  }

  async setQueuePriorities(changes: { id: string; priority: number }[]): Promise<void> {
    if (!changes.length) return;
    await this.rows(
      `UPDATE work_queue q SET priority = c.priority, updated = now()
         FROM jsonb_to_recordset(?::jsonb) AS c(id uuid, priority int) WHERE q.id = c.id`,
      [jsonb(changes)],
    );
  }

  async findQueueById(id: string): Promise<WorkQueueResponse | undefined> {
    const row = await this.one<QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM work_queue wq WHERE wq.id = ?`, [id]);
    return row && toWorkQueue(row);
  }

  async findQueueRef(poolName: string, queueName: string): Promise<QueueRef | undefined> {
    return this.one<QueueRef>(
      `SELECT wq.id, wq.name, wq.work_pool_id FROM work_queue wq JOIN work_pool wp ON wp.id = wq.work_pool_id
        WHERE wp.name = ? AND wq.name = ?`,
      [poolName, queueName],
    );
  }

  async findQueueRefById(id: string): Promise<QueueRef | undefined> {
    return this.one<QueueRef>(`SELECT id, name, work_pool_id FROM work_queue WHERE id = ?`, [id]);
  }
}
