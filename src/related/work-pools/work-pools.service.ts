import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@mikro-orm/nestjs';
import { EntityManager } from '@mikro-orm/postgresql';
import { WorkPoolCreate } from './dto/work-pool-create.dto';
import { WorkPoolResponse, WorkQueueResponse } from './dto/work-pool-response.dto';
import { WorkQueueCreate } from './dto/work-queue-create.dto';
import { WorkPoolEntity } from './work-pool.entity';
import { NewWorkQueue, QueueRef, WorkPoolRepository } from './work-pools.repository';
import type { WorkPoolFilter } from '../../query-filters/schemas/work-pool-filter.dto';
import type { WorkQueueFilter } from '../../query-filters/schemas/work-queue-filter.dto';
import { textError } from '../../prefect-compat/validation/coerce';

export const DEFAULT_AGENT_WORK_POOL_NAME = 'default-agent-pool';
const DEFAULT_QUEUE_NAME = 'default';

export const workPoolNotFound = (name: string) => new NotFoundException({ detail: `Work pool "${name}" not found.` });
export const workQueueNotFound = (pool: string, queue: string) =>
  new NotFoundException({ detail: `Work pool queue '${pool}/${queue}' not found.` });

const isReserved = (name: string) => name.toLowerCase().startsWith('prefect');

/** Prefect's choice for a queue without a priority: the first gap in 1, 2, 3, ..., else max + 1. */
function firstFreePriority(taken: number[]): number {
  const sorted = [...taken].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) if (sorted[i] !== i + 1) return i + 1;
  return (sorted[sorted.length - 1] ?? 0) + 1;
}

/**
 * Prefect's `bulk_update_work_queue_priorities` for one queue placed at `priority`: the
 * others keep their order and move down only as far as needed to keep priorities unique.
 */
function shiftedPriorities(queues: { id: string; priority: number }[], placed: { id: string; priority: number }) {
  const order = queues.filter((q) => q.id !== placed.id);
  const at = order.findIndex((q) => q.priority >= placed.priority);
  order.splice(at === -1 ? order.length : at, 0, placed);
  const changes: { id: string; priority: number }[] = [];
  let last = 0;
  for (const q of order) {
    if (q.priority <= last) changes.push({ id: q.id, priority: ++last });
    else last = q.priority;
  }
  return changes;
}

/**
 * The work pool and work queue model functions (Prefect's `models.workers`), plus the queue
 * lookups deployments and flow runs use (Prefect's `WorkerLookups`).
 */
@Injectable()
export class WorkPoolsService {
  constructor(
    private readonly em: EntityManager,
    @InjectRepository(WorkPoolEntity) private readonly pools: WorkPoolRepository,
  ) {}

  /** Creates the pool and its `default` queue (priority 1) in one transaction. */
  async create_work_pool(body: WorkPoolCreate): Promise<WorkPoolResponse> {
    if (isReserved(body.name))
      throw new ForbiddenException({ detail: "Work pools starting with 'Prefect' are reserved for internal use." });
    const id = await this.em.transactional(async () => {
      const created = await this.insertPoolWithDefaultQueue(body);
      if (!created) throw new ConflictException({ detail: 'A work pool with this name already exists.' });
      return created;
    });
    return (await this.pools.findPoolById(id)) as WorkPoolResponse;
  }

  async read_work_pool(name: string): Promise<WorkPoolResponse> {
    const pool = await this.pools.findPoolByName(name);
    if (!pool) throw workPoolNotFound(name);
    return pool;
  }

  /** Pools matching the filter, by name, one page (Prefect's `read_work_pools`). */
  async read_work_pools(
    filter: WorkPoolFilter | null | undefined,
    limit: number,
    offset: number,
  ): Promise<WorkPoolResponse[]> {
    return this.pools.findPools(filter, limit, offset);
  }

  async count_work_pools(filter: WorkPoolFilter | null | undefined): Promise<number> {
    return this.pools.countPools(filter);
  }

  /** The pool's queues matching the filter, by priority; 404 when the pool does not exist. */
  async read_work_queues(
    poolName: string,
    filter: WorkQueueFilter | null | undefined,
    limit: number,
    offset: number,
  ): Promise<WorkQueueResponse[]> {
    // A name PostgreSQL cannot hold (NUL, lone surrogate) names no pool; as a parameter it would be a 503.
    const poolId = textError(poolName) ? undefined : await this.pools.findPoolIdByName(poolName);
    if (!poolId) throw workPoolNotFound(poolName);
    return this.pools.findQueues(poolId, filter, limit, offset);
  }

  async delete_work_pool(name: string): Promise<void> {
    if (isReserved(name))
      throw new ForbiddenException({
        detail: "Work pools starting with 'Prefect' are reserved for internal use and can not be deleted.",
      });
    if (!(await this.pools.deletePoolByName(name))) throw workPoolNotFound(name);
  }

  async create_work_queue(poolName: string, body: WorkQueueCreate): Promise<WorkQueueResponse> {
    const id = await this.em.transactional(async () => {
      const pool = await this.pools.lockPoolByName(poolName);
      if (!pool) throw workPoolNotFound(poolName);
      const queue = await this.insertQueue(pool.id, {
        name: body.name,
        description: body.description === undefined ? '' : body.description,
        is_paused: body.is_paused ?? false,
        concurrency_limit: body.concurrency_limit ?? null,
        priority: body.priority ?? null,
      });
      // Prefect's message is a plain string here (its placeholder is not filled in); kept verbatim.
      if (!queue)
        throw new ConflictException({
          detail: 'A work queue with this name already exists in work pool {work_pool_name!r}.',
        });
      return queue.id;
    });
    return (await this.pools.findQueueById(id)) as WorkQueueResponse;
  }

  async read_work_queue(poolName: string, queueName: string): Promise<WorkQueueResponse> {
    const ref = await this.pools.findQueueRef(poolName, queueName);
    if (!ref) throw workQueueNotFound(poolName, queueName);
    return (await this.pools.findQueueById(ref.id)) as WorkQueueResponse;
  }

  /**
   * The queue a deployment or flow run names by pool (and queue). Pool only: the pool's
   * default queue. Pool and queue: that queue, created when missing if `createMissing`.
   * Call inside the caller's transaction.
   */
  async resolveQueue(
    poolName: string,
    queueName: string | null | undefined,
    createMissing: boolean,
  ): Promise<QueueRef> {
    if (!queueName) {
      const pool = await this.pools.lockPoolByName(poolName);
      if (!pool) throw workPoolNotFound(poolName);
      return (await this.pools.findQueueRefById(pool.default_queue_id as string)) as QueueRef;
    }
    const existing = await this.pools.findQueueRef(poolName, queueName);
    if (existing) return existing;
    if (!createMissing) throw workQueueNotFound(poolName, queueName);
    const pool = await this.pools.lockPoolByName(poolName);
    if (!pool) throw workPoolNotFound(poolName);
    return (
      (await this.insertQueue(pool.id, { ...this.queueDefaults(queueName), priority: null })) ??
      ((await this.pools.findQueueRef(poolName, queueName)) as QueueRef)
    );
  }

  /**
   * Prefect's `ensure_work_queue_exists`: a queue named without a pool lives in
   * `default-agent-pool`, which is created on first use; a new queue there gets priority 1.
   */
  async ensureQueueInDefaultAgentPool(queueName: string): Promise<QueueRef> {
    const existing = await this.pools.findQueueRef(DEFAULT_AGENT_WORK_POOL_NAME, queueName);
    if (existing) return existing;
    let pool = await this.pools.lockPoolByName(DEFAULT_AGENT_WORK_POOL_NAME);
    if (!pool) {
      await this.insertPoolWithDefaultQueue({ name: DEFAULT_AGENT_WORK_POOL_NAME });
      pool = await this.pools.lockPoolByName(DEFAULT_AGENT_WORK_POOL_NAME);
    }
    const { id, default_queue_id } = pool as { id: string; default_queue_id: string };
    if (queueName === DEFAULT_QUEUE_NAME) return (await this.pools.findQueueRefById(default_queue_id)) as QueueRef;
    return (
      (await this.insertQueue(id, { ...this.queueDefaults(queueName), priority: 1 })) ??
      ((await this.pools.findQueueRef(DEFAULT_AGENT_WORK_POOL_NAME, queueName)) as QueueRef)
    );
  }

  private queueDefaults(name: string): Omit<NewWorkQueue, 'priority'> {
    return { name, description: '', is_paused: false, concurrency_limit: null };
  }

  /** Pool row + `default` queue + default_queue_id; undefined when the name is taken. */
  private async insertPoolWithDefaultQueue(body: WorkPoolCreate): Promise<string | undefined> {
    const type = body.type ?? 'prefect-agent';
    const isPaused = body.is_paused ?? false;
    const poolId = await this.pools.insertPool({
      name: body.name,
      description: body.description ?? null,
      type,
      base_job_template: body.base_job_template ?? {},
      is_paused: isPaused,
      concurrency_limit: body.concurrency_limit ?? null,
      // Prefect tracks a status only for worker-backed pools.
      status: type === 'prefect-agent' ? null : isPaused ? 'PAUSED' : 'NOT_READY',
    });
    if (!poolId) return undefined;
    const queue = await this.insertQueue(poolId, {
      name: DEFAULT_QUEUE_NAME,
      description: "The work pool's default queue.",
      is_paused: false,
      concurrency_limit: null,
      priority: null,
    });
    await this.pools.setDefaultQueue(poolId, (queue as QueueRef).id);
    return poolId;
  }

  /** Inserts a queue (priority: the first free value when null, else placed and others shifted). */
  private async insertQueue(
    poolId: string,
    queue: Omit<NewWorkQueue, 'priority'> & { priority: number | null },
  ): Promise<QueueRef | undefined> {
    const existing = await this.pools.queuePriorities(poolId);
    const priority = queue.priority ?? firstFreePriority(existing.map((q) => q.priority));
    const inserted = await this.pools.insertQueue(poolId, { ...queue, priority });
    if (inserted && queue.priority !== null)
      await this.pools.setQueuePriorities(shiftedPriorities(existing, { id: inserted.id, priority }));
    return inserted;
  }
}
