/**
 * Seeds the data set with generate_series, one statement per chunk of flows (each statement
 * also writes that chunk's deployments, flow runs and task runs through data-modifying CTEs).
 * Everything derives from the flow's sequence number `i`, so the data is the same every run:
 *
 *   name         <word>-<word>-<i>, e.g. "etl-daily-4242" (12 x 8 word pairs: some like_ terms
 *                are common, others rare). Names with the same first word sort together, as
 *                real names sharing a prefix do.
 *   tags         "prod" or "dev"; "team-0".."team-4" (20% each); "nightly" on 1/7 of flows;
 *                "rare-<k>" on 2% of flows (a few flows per tag)
 *   labels       {"owner": "team-k"} on a third of the flows, {} elsewhere
 *   deployment   one on every 5th flow (20%), spread over 4 work pools x 2 queues; a third paused
 *   flow runs    1-3 runs on 30% of the flows, in various states; every flow run has 2 task runs
 *
 * Apart from the name (and which flows have a deployment: every 5th number, independent of the name's
 * words since 5 and 12 share no factor), each attribute comes from its own hash of `i` (h[1]..h[10]), so
 * tags, pools and runs are independent of the name and of each other. (They used to be `i` modulo small numbers, which
 * tied them together by accident: prod/dev was the parity of `i` and the name's word `i % 12`, so no
 * "dev" flow was ever named backup-..., and a pool's flows all had one of three words.)
 */
import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import { Progress } from './progress';

const WORK_POOLS = ['pool-a', 'pool-b', 'pool-c', 'pool-d'];
const QUEUES = ['default', 'high'];
const WORDS = [
  'etl',
  'report',
  'sync',
  'ingest',
  'train',
  'score',
  'backup',
  'export',
  'notify',
  'clean',
  'build',
  'deploy',
];
const SUBJECTS = ['daily', 'hourly', 'weekly', 'orders', 'users', 'events', 'billing', 'metrics'];
const RUN_STATES = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'FAILED',
  'RUNNING',
  'SCHEDULED',
  'CANCELLED',
  'CRASHED',
  'PENDING',
  'PAUSED',
];
const CHUNK = 20_000;

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]`;

/** Work pools, each with two queues (the first one the pool's default queue). */
async function seedWorkPools(db: Client, pools: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO work_pool (name, type) SELECT name, CASE WHEN n % 2 = 0 THEN 'kubernetes' ELSE 'process' END
     FROM unnest($1::text[]) WITH ORDINALITY AS p(name, n)`,
    [pools],
  );
  await db.query(
    `INSERT INTO work_queue (name, priority, work_pool_id)
     SELECT q.name, q.priority, wp.id FROM work_pool wp, unnest($1::text[]) WITH ORDINALITY AS q(name, priority)`,
    [QUEUES],
  );
  await db.query(
    `UPDATE work_pool SET default_queue_id = wq.id FROM work_queue wq
     WHERE wq.work_pool_id = work_pool.id AND wq.priority = 1`,
  );
}

/** A seed's own SQL: the flow's name, tags and labels, and its deployment's queue (`q.n`: pool index x 2 + queue). */
interface FlowColumns {
  name: string;
  tags: string;
  labels: string;
  queue: string;
}

/** What the scenarios ask a seed for: like_ terms, tag sets and work pools from common to rare. */
export interface SeedVocabulary {
  likeTerms: string[];
  tagSets: string[][];
  workPools: string[];
}

export interface SeedKind extends SeedVocabulary {
  key: 'independent' | 'fleet';
  description: string;
  columns: FlowColumns;
}

const INDEPENDENT: SeedKind = {
  key: 'independent',
  description: 'names, tags and pools independent of each other',
  workPools: WORK_POOLS,
  likeTerms: ['etl', 'hourly', 'score-users', '4242', 'backup', '77'],
  tagSets: [['prod', 'team-1'], ['nightly'], ['dev', 'team-3'], ['prod', 'team-2', 'nightly']],
  columns: {
    name: `(${sqlArray(WORDS)})[1 + i % ${WORDS.length}] || '-' || (${sqlArray(SUBJECTS)})[1 + (i / ${WORDS.length}) % ${SUBJECTS.length}] || '-' || i`,
    tags: `to_jsonb(array_remove(ARRAY[
         CASE WHEN h[1] % 2 = 0 THEN 'prod' ELSE 'dev' END,
         'team-' || (h[2] % 5),
         CASE WHEN h[3] % 7 = 0 THEN 'nightly' END,
         CASE WHEN h[10] % 50 = 0 THEN 'rare-' || (h[10] % 997) END
       ], NULL))`,
    labels: `CASE WHEN h[9] % 3 = 0 THEN jsonb_build_object('owner', 'team-' || (h[2] % 5)) ELSE '{}'::jsonb END`,
    queue: 's.h[4] % q.total',
  },
};

/**
 * The fleet seed: twelve teams of very different sizes (the first has 29% of the flows, the last 4%), each naming
 * its flows `<team>-<subject>-<i>` with four subjects of its own, tagging them with its team, an environment,
 * `k8s`/`gpu` by the pool it deploys to, `nightly` (most of data's and billing's flows, 5% of the others'),
 * `<team>-critical` (3%) and a rare `ticket-<k>` (0.5%, a few flows each), and deploying to its own work pool
 * (five pools: 41%, 34%, 15%, 6%, 4% of the deployments). Every column follows the team, as in real fleets, so
 * the planner's independence assumption is wrong in both directions (`[prod, data]` is common, `[security, gpu]`
 * never matches).
 */
const TEAMS = [
  'data',
  'search',
  'payments',
  'growth',
  'infra',
  'ml',
  'ads',
  'risk',
  'mobile',
  'billing',
  'ops',
  'security',
];
const FLEET_SUBJECTS = [
  'ingest',
  'sync',
  'report',
  'train',
  'score',
  'backfill',
  'export',
  'alert',
  'rollup',
  'dedupe',
];
/** Each team's pool, as an index into the pools sorted by name (the queues CTE's order): edge, gpu, k8s-batch, k8s-prod, process-legacy. */
const POOL_OF_TEAM = [2, 3, 3, 2, 3, 1, 3, 4, 4, 2, 4, 0];
/** The team number 0..11, skewed: P(team < k) = sqrt(k / 12). */
const TEAM = `floor(12 * power((h[2] % 10000) / 10000.0, 2))::int`;
const TEAM_NAME = `(${sqlArray(TEAMS)})[1 + ${TEAM}]`;
const TEAM_POOL = `(ARRAY[${POOL_OF_TEAM.join(', ')}])[1 + ${TEAM}]`;

const FLEET: SeedKind = {
  key: 'fleet',
  description: 'names, tags and pools correlated by team (skewed teams and pools)',
  workPools: ['k8s-batch', 'k8s-prod', 'process-legacy', 'gpu', 'edge'],
  likeTerms: ['data', 'security', 'payments-rollup', '4242', 'backfill', '77'],
  tagSets: [['prod', 'data'], ['gpu'], ['ml', 'dev'], ['security', 'gpu'], ['nightly', 'billing'], ['ticket-17']],
  columns: {
    name: `${TEAM_NAME} || '-' || (${sqlArray(FLEET_SUBJECTS)})[1 + (${TEAM} * 3 + h[3] % 4) % ${FLEET_SUBJECTS.length}] || '-' || i`,
    tags: `to_jsonb(array_remove(ARRAY[
         ${TEAM_NAME},
         CASE WHEN h[1] % 20 < 12 THEN 'prod' WHEN h[1] % 20 < 17 THEN 'staging' ELSE 'dev' END,
         CASE WHEN ${TEAM_POOL} IN (2, 3) THEN 'k8s' WHEN ${TEAM_POOL} = 1 THEN 'gpu' END,
         CASE WHEN (${TEAM} IN (0, 9) AND h[3] % 5 <> 0) OR h[3] % 20 = 0 THEN 'nightly' END,
         CASE WHEN (h[3] / 7) % 33 = 0 THEN ${TEAM_NAME} || '-critical' END,
         CASE WHEN h[10] % 200 = 0 THEN 'ticket-' || ((h[10] / 200) % 97) END
       ], NULL))`,
    labels: `jsonb_build_object('team', ${TEAM_NAME})`,
    queue: `2 * ${TEAM_POOL.replace(/h\[/g, 's.h[')} + s.h[4] % 2`,
  },
};

export const SEEDS: Record<SeedKind['key'], SeedKind> = { independent: INDEPENDENT, fleet: FLEET };

/** One chunk's statement: the shared CTEs (deployments, runs) around a seed's own flow columns and queue choice. */
function chunkSql(flow: FlowColumns): string {
  return `
WITH numbers AS (
  SELECT i, ARRAY(SELECT (hashint4extended(i, k) & 2147483647)::int FROM generate_series(1, 10) AS k) AS h
  FROM generate_series($1::int, $2::int) AS i
),
src AS MATERIALIZED (
  SELECT i, h,
         gen_random_uuid() AS id,
         CASE WHEN i % 5 = 0 THEN gen_random_uuid() END AS deployment_id,
         now() - make_interval(secs => $3::int - i) AS ts
  FROM numbers
),
queues AS (
  SELECT wq.id, wq.name, (row_number() OVER (ORDER BY wp.name, wq.name) - 1)::int AS n, count(*) OVER ()::int AS total
  FROM work_queue wq JOIN work_pool wp ON wp.id = wq.work_pool_id
),
runs AS MATERIALIZED (
  SELECT gen_random_uuid() AS id, s.i, r, s.id AS flow_id, s.deployment_id, s.ts,
         (${sqlArray(RUN_STATES)})[1 + (s.h[6] % 1000 + r) % ${RUN_STATES.length}] AS state
  FROM src s, generate_series(1, 1 + s.h[7] % 3) AS r
  WHERE s.h[8] % 10 IN (0, 3, 6)
),
deployments AS (
  INSERT INTO deployment (id, created, updated, name, flow_id, paused, tags, work_queue_id, work_queue_name)
  SELECT s.deployment_id, s.ts, s.ts, 'deployment-' || s.i, s.id, s.h[5] % 3 = 0, '["scheduled"]'::jsonb, q.id, q.name
  FROM src s JOIN queues q ON q.n = ${flow.queue}
  WHERE s.deployment_id IS NOT NULL
),
flow_runs AS (
  INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, state_type, state_name,
                        expected_start_time, start_time, end_time)
  SELECT id, ts, ts, 'run-' || i || '-' || r, flow_id, deployment_id, state::state_type, initcap(state),
         ts + make_interval(hours => r),
         CASE WHEN state NOT IN ('SCHEDULED', 'PENDING') THEN ts + make_interval(hours => r) END,
         CASE WHEN state IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED') THEN ts + make_interval(hours => r, mins => 5) END
  FROM runs
),
task_runs AS (
  INSERT INTO task_run (created, updated, name, flow_run_id, task_key, dynamic_key, state_type, state_name)
  SELECT ts, ts, 'task-' || t || '-' || i || '-' || r, id, 'task-' || t, '0', state::state_type, initcap(state)
  FROM runs, generate_series(1, 2) AS t
)
INSERT INTO flow (id, created, updated, name, tags, labels)
SELECT id, ts, ts, ${flow.name}, ${flow.tags}, ${flow.labels}
FROM src`;
}

/** Seeds `flows` flows of the given kind with their related rows, then VACUUM ANALYZE (statistics, visibility map). */
export async function seed(db: Client, flows: number, kind: SeedKind): Promise<void> {
  await seedWorkPools(db, kind.workPools.slice().sort());
  const sql = chunkSql(kind.columns);
  const progress = new Progress(`seeding flows (${kind.key})`, flows);
  for (let start = 1; start <= flows; start += CHUNK) {
    const end = Math.min(flows, start + CHUNK - 1);
    await db.query(sql, [start, end, flows]);
    progress.update(end);
  }
  progress.done();
  const vacuum = new Progress('VACUUM ANALYZE', 1);
  await db.query('VACUUM ANALYZE');
  await vacuumFlow(db);
  vacuum.done();
}

/**
 * VACUUM flow until every page is marked all-visible (a few times at most). VACUUM marks a page only
 * when no open snapshot could still miss its rows, and an autovacuum ANALYZE that starts during the
 * seed or a run holds such a snapshot. Unmarked pages turn the name index's index-only scans into
 * heap visits, so runs would not start from the same table.
 */
export async function vacuumFlow(db: Client): Promise<void> {
  await db.query('VACUUM flow');
  for (let attempt = 1; attempt <= 5; attempt++) {
    const { rows } = await db.query<{ missing: number }>(
      `SELECT relpages - relallvisible AS missing FROM pg_class WHERE oid = 'flow'::regclass`,
    );
    if (rows[0].missing <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    await db.query('VACUUM flow');
  }
}

// ---- disposable flows for bulk delete: batches of 50 that a name like_ filter selects exactly ----

export const DELETE_BATCH_SIZE = 50;

/** The like_ term that selects batch `b`: a hashed token keeps the trigram lookup selective. */
export function deleteBatchPrefix(b: number): string {
  return `del-${createHash('md5').update(`batch-${b}`).digest('hex').slice(0, 12)}-`;
}

/** Inserts batches [first, last] of disposable flows (names `<deleteBatchPrefix(b)><nn>`). */
export async function seedDeleteBatches(db: Client, first: number, last: number): Promise<void> {
  await db.query(
    `INSERT INTO flow (name, tags, labels)
     SELECT 'del-' || left(md5('batch-' || b), 12) || '-' || lpad(j::text, 2, '0'), '[]'::jsonb, '{}'::jsonb
     FROM generate_series($1::int, $2::int) AS b, generate_series(1, ${DELETE_BATCH_SIZE}) AS j`,
    [first, last],
  );
}
