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
 * What a flow query's filters read, which decides how its page statement samples and what a walk in name order
 * costs (see flowPageSql):
 * - `name`: only `flows.name` (any_, like_). The filters can be tested on a name alone, and a walk is an index-only
 *   scan of ix_flow__name_lower comparing the stored lower-cased name: about 0.15 us a flow at 1M flows.
 * - `flow`: the flow's own columns (name, id, tags). A walk reads each flow's row to test its tags, about 1 us a
 *   flow.
 * - `related`: a related group or `flows.deployment`: every flow walked probes another table, 2-5 us.
 */
export type FlowReads = 'name' | 'flow' | 'related';

export function flowReads(filters: FlowFilterGroups): FlowReads {
  const { flows, deployments, work_pools, flow_runs, task_runs } = filters;
  if ([deployments, work_pools, flow_runs, task_runs].some(present)) return 'related';
  if (!present(flows)) return 'name';
  const fields = Object.entries(flows as object).filter(([key, value]) => key !== 'operator' && present(value));
  if (fields.some(([key]) => key === 'deployment')) return 'related';
  return fields.every(([key]) => key === 'name') ? 'name' : 'flow';
}

/**
 * How many flows a walk in name order may examine per match before sorting every match is the cheaper plan (see
 * flowPageSql), by what the filters read (FlowReads). Measured at 1M flows: a walk costs 0.15 us a flow on the name
 * alone, about 1-1.5 us reading rows to test tags, 3-5 us probing a related table; collecting a match and sorting
 * costs 1.2 us through the trigram bitmap, 2.8 us through the tags bitmap, 4-6 us fetching a related group's flow by
 * id.
 */
export const WALK_RATIO: Record<FlowReads, number> = { name: 8, flow: 2, related: 1 };

/**
 * The decision samples at most 1% of the flows, and at least this many (or all the histogram has): on a small table
 * every probe is a good share of the statement, and a wrong choice costs little.
 */
const MIN_SAMPLE = 100;

/**
 * From how many flows (pg_class.reltuples) the page statement samples at all, by what the filters read. Below, the
 * walk branch runs alone, planned by PostgreSQL as a plain `ORDER BY name LIMIT` (a bitmap and a sort when it expects
 * few matches). Measured with `npm run bench` at 100k flows, sampled against plain, req/s at 10 connections:
 * - name and tags filters: the sample (all 1,001 histogram flows) cost about 8 ms, as much as the filter: like_
 *   126 vs 174 and tags 91 vs 174 on the independent seed, 144 vs 126 and 115 vs 81 on the fleet seed. A walk on the
 *   flow alone is cheap (0.15-1 us a flow), so a bad one stays short until the table is large (0.3-0.5 s at 1M).
 * - related groups: a bad walk probes a related table for every flow it passes (2-5 us), so it is long already at
 *   100k: fleet deployments + work_pools 16 req/s plain (p50 600 ms) against 84 sampled; independent 93 vs 61, and
 *   flow_runs state 123 vs 70 (independent) and 108 vs 72 (fleet), which is what the sample costs where the walk
 *   would have been fine.
 */
export const SAMPLE_FROM_FLOWS: Record<FlowReads, number> = { name: 250_000, flow: 250_000, related: 50_000 };

/** The pieces of a page statement: the WHERE on `flow`, the sort, and flowReads() of the filters. */
export interface FlowPageParts {
  where: string;
  sort: FlowSort;
  reads: FlowReads;
  /** Overrides SAMPLE_FROM_FLOWS[reads] (the tests sample their small tables with 0). */
  sampleFrom?: number;
}

/**
 * What fills the statement's `?` placeholders, in order: `where` the params of the WHERE, `n` is limit + offset,
 * `limit` and `offset` the page's.
 */
export type FlowPageSlot = 'where' | 'n' | 'limit' | 'offset';

/**
 * A page of flows matching the filters (shared with the bench baseline, which fills the slots the same way).
 *
 * A filtered page in name order can be found two ways, and which is faster depends on where the matches sit in name
 * order, which PostgreSQL's statistics do not say (its LIMIT costing assumes the matches are spread evenly):
 *   - walk the name index in order and stop at the page's last match: fast when matches come early, but matches that
 *     sit together late in name order (names sharing a prefix, one team's flows, one pool's deployments) make it
 *     examine most of the table (at 1M flows: 0.3-2.5 s);
 *   - collect every match (trigram or tags bitmap, related rows) and sort them: fast for few matches, slow for many.
 * So the statement first looks at a sample of flows spread evenly in name order, the ones named by the name
 * column's histogram (1,001 at 1M flows with the statistics target of 1000: index probes, 1-5 ms), and tests the
 * filters on them. The m matching samples span places a..b of the histogram's order (each place standing for N / B
 * flows), so about M = m N / B flows match, and a walk must skip the flows before the matches start, then examine
 * (limit + offset) / f more, where f = m / (b - a + 1) is the share of matches where they are. The skip is where the
 * q-th match is (q = min(m, 3)), less 3 q times the average gap between matches: matches spread evenly over the whole
 * order start near the front (the 3rd of them is that far out less than 1% of the time), while a block of matches
 * far down the order (a name prefix, a team's flows) is skipped up to its start. The walk is taken when it examines
 * at most WALK_RATIO times M flows, the sort otherwise (also when no sample matches: the matches are few). Below
 * 100k flows only every step-th histogram flow is tested, so that at most 1% of the flows (at least MIN_SAMPLE) are,
 * and each sampled match counts step times (at 1M flows, testing every 4th left too few matches to tell a spread
 * from a block, so large tables test them all). Both branches are in the
 * statement behind one-time filters on that decision, so only one runs; the sort branch sits behind an OFFSET 0
 * fence, so it is planned for all its rows (a bitmap or a join, then a top-N sort) and never as a walk. The page is
 * picked as (id, name) and joined back by id for the other columns. Without statistics (a table never analyzed),
 * and below SAMPLE_FROM_FLOWS[reads] flows, the walk branch runs, which is the plain statement: PostgreSQL plans it as it
 * always did.
 *
 * With no filter, a page in name order is an index-only walk of the name index joined back by name; other sorts are
 * one flat SELECT.
 */
export function flowPageSql(parts: FlowPageParts): { sql: string; slots: FlowPageSlot[] } {
  const { where, sort } = parts;
  const order = FLOW_SORT_ORDER[sort];
  if (!NAME_SORTS.has(sort))
    return {
      sql: `SELECT ${FLOW_COLUMNS} FROM flow WHERE ${where} ORDER BY ${order} LIMIT ? OFFSET ?`,
      slots: ['where', 'limit', 'offset'],
    };
  if (where === 'TRUE')
    return {
      sql: `SELECT ${FLOW_COLUMNS} FROM (SELECT flow.name FROM flow ORDER BY ${order} LIMIT ? OFFSET ?) page
    JOIN flow ON flow.name = page.name ORDER BY ${order}`,
      slots: ['limit', 'offset'],
    };
  const pageOrder = order.replace('flow.', '');
  // A sampled flow's place in the walk: the histogram's order, from its end for a descending sort.
  const place = sort === FlowSort.NAME_ASC ? 'bounds.k' : 'bounds.total + 1 - bounds.k';
  // Name-only filters are tested on the histogram's names themselves (the CTE's column is called name, as flow's).
  const sampled =
    parts.reads === 'name'
      ? `SELECT ${place} AS place, bounds.step FROM bounds, LATERAL (SELECT bounds.name) flow
      WHERE (bounds.k - 1) % bounds.step = 0 AND ${where}`
      : `SELECT ${place} AS place, bounds.step FROM bounds JOIN flow ON flow.name = bounds.name
      WHERE (bounds.k - 1) % bounds.step = 0 AND ${where}`;
  return {
    sql: `WITH size AS (
    SELECT greatest(reltuples::numeric, 1) AS flows FROM pg_class WHERE oid = 'flow'::regclass
  ), bounds AS (
    SELECT b.name, b.k, count(*) OVER () AS total,
           greatest(1, floor(count(*) OVER () / greatest(${MIN_SAMPLE}, (SELECT flows FROM size) / 100)))::int AS step
    FROM pg_stats st, unnest(st.histogram_bounds::text::text[]) WITH ORDINALITY AS b(name, k)
    WHERE st.schemaname = current_schema() AND st.tablename = 'flow' AND st.attname = 'name'
      AND (SELECT flows FROM size) >= ${Math.trunc(parts.sampleFrom ?? SAMPLE_FROM_FLOWS[parts.reads])}
  ), sampled AS (
    ${sampled}
  ), walk AS MATERIALIZED (
    SELECT NOT EXISTS (SELECT 1 FROM bounds) OR coalesce(
      (SELECT count(*) > 0
              AND greatest((array_agg(place ORDER BY place))[least(count(*), 3)]
                           - 3 * least(count(*), 3) * (max(place) - min(place) + 1)::numeric / count(*), 0) * per_place
                  + ?::numeric * (max(place) - min(place) + 1) / (count(*) * max(step))
                  <= ${WALK_RATIO[parts.reads]} * count(*) * max(step) * per_place
         FROM sampled, (SELECT (SELECT flows FROM size) / count(*) AS per_place FROM bounds) AS places
        GROUP BY per_place), false) AS chosen
  ), page AS (
    (SELECT flow.id, flow.name FROM flow WHERE ${where} AND (SELECT chosen FROM walk) ORDER BY ${order} LIMIT ?)
    UNION ALL
    SELECT id, name FROM (SELECT flow.id, flow.name FROM flow WHERE ${where} AND NOT (SELECT chosen FROM walk) OFFSET 0) s
  )
  SELECT ${FLOW_COLUMNS} FROM (SELECT id, name FROM page ORDER BY ${pageOrder} LIMIT ? OFFSET ?) page
    JOIN flow ON flow.id = page.id ORDER BY ${order}`,
    slots: ['where', 'n', 'where', 'n', 'where', 'limit', 'offset'],
  };
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
    const { sql, slots } = flowPageSql({ where: where.sql, sort: page.sort, reads: flowReads(filters) });
    const fill: Record<FlowPageSlot, readonly unknown[]> = {
      where: where.params,
      n: [page.limit + page.offset],
      limit: [page.limit],
      offset: [page.offset],
    };
    const rows = await this.rows<FlowRow>(
      sql,
      slots.flatMap((slot) => fill[slot]),
    );
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
