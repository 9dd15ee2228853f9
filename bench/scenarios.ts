/**
 * The bench scenarios (issue 5 scope 2). Each one hands out a request generator per run:
 * reads rotate through values picked from the seeded data (the same sequence for the app and
 * the baseline, so their first answers can be compared byte for byte); writes make every request
 * touch different rows, and clean up after each run so every run starts from the same table.
 */
import type { Client } from 'pg';
import { DELETE_BATCH_SIZE, deleteBatchPrefix, seedDeleteBatches, SeedVocabulary, vacuumFlow } from './seed';

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface RunPlan {
  next(): RequestSpec;
  /** Caps the requests of the run (bulk delete has only so many prepared batches). */
  maxRequests?: number;
}

export interface BenchData {
  db: Client;
  /** Existing flows (ids and names) picked at random from the seeded ones. */
  ids: string[];
  names: string[];
  /** Bulk-delete batches prepared per measured run. */
  deleteBatches: number;
  /** The seed's like_ terms, tag sets and work pools. */
  vocab: SeedVocabulary;
}

export interface Scenario {
  key: string;
  title: string;
  /** Read scenarios also get the one-connection latency pass and the latency-vs-N table. */
  read: boolean;
  expectedStatus: number;
  prepare(data: BenchData, warmup: boolean): Promise<RunPlan>;
  /** Restores the data after a run (writes only). */
  after?(data: BenchData): Promise<void>;
  /** Extra check of the first answer; a message when it is wrong. */
  checkProbe?(body: unknown): string | undefined;
}

const RUN_STATE_TYPES = ['FAILED', 'RUNNING', 'COMPLETED', 'CRASHED'];

/** Cycles through `items`, from the first one, mapping each to a request. */
function rotate<T>(items: T[], make: (item: T) => RequestSpec): RunPlan {
  let i = 0;
  return { next: () => make(items[i++ % items.length]) };
}

const post = (path: string, body: unknown): RequestSpec => ({ method: 'POST', path, body });

/** A read scenario: a fixed rotation of requests, no set-up, no clean-up. */
function read(key: string, title: string, make: (data: BenchData) => RunPlan): Scenario {
  return { key, title, read: true, expectedStatus: 200, prepare: async (data) => make(data) };
}

/**
 * A clean-up statement, retried when it deadlocks: when a run ends at its duration, requests the load generator gave up
 * on can still be running in the server under test (a busy machine makes that likely), and a bulk delete there may
 * lock the same rows in another order.
 */
async function cleanUp(db: Client, sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query(sql);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** Run-unique name prefixes for creates, and the next unused bulk-delete batch number. */
let runCounter = 0;
let nextBatch = 1;

export const SCENARIOS: Scenario[] = [
  read('get-by-id', 'get by id', (d) => rotate(d.ids, (id) => ({ method: 'GET', path: `/api/flows/${id}` }))),
  read('get-by-name', 'get by name', (d) =>
    rotate(d.names, (name) => ({ method: 'GET', path: `/api/flows/name/${encodeURIComponent(name)}` })),
  ),
  read('filter-name-like', 'filter name like_ (limit 200)', (d) =>
    rotate(d.vocab.likeTerms, (term) => post('/api/flows/filter', { flows: { name: { like_: term } }, limit: 200 })),
  ),
  read('filter-tags-all', 'filter tags all_', (d) =>
    rotate(d.vocab.tagSets, (tags) => post('/api/flows/filter', { flows: { tags: { all_: tags } }, limit: 200 })),
  ),
  read('filter-deployments-work-pools', 'filter deployments + work_pools', (d) =>
    rotate(d.vocab.workPools, (pool) =>
      post('/api/flows/filter', {
        deployments: { paused: { eq_: false } },
        work_pools: { name: { any_: [pool] } },
        limit: 200,
      }),
    ),
  ),
  read('filter-flow-runs-state', 'filter flow_runs state', () =>
    rotate(RUN_STATE_TYPES, (type) =>
      post('/api/flows/filter', { flow_runs: { state: { type: { any_: [type] } } }, limit: 200 }),
    ),
  ),
  read('count-name-like', 'count name like_', (d) =>
    rotate(d.vocab.likeTerms, (term) => post('/api/flows/count', { flows: { name: { like_: term } } })),
  ),
  // Unfiltered, as the UI's flow list opens: the count covers the whole table.
  read('paginate-page-3', 'paginate page 3 (limit 50)', () =>
    rotate([null], () => post('/api/flows/paginate', { page: 3, limit: 50, sort: 'NAME_ASC' })),
  ),
  {
    key: 'create-existing',
    title: 'create (existing name)',
    read: false,
    expectedStatus: 200,
    prepare: async (d) => rotate(d.names, (name) => post('/api/flows/', { name, tags: ['ignored'] })),
  },
  {
    key: 'create-new',
    title: 'create (new names)',
    read: false,
    expectedStatus: 201,
    prepare: async () => {
      const run = `new-${Date.now().toString(36)}${(runCounter++).toString(36)}`;
      let n = 0;
      return { next: () => post('/api/flows/', { name: `${run}-${n++}`, tags: ['bench'], labels: { env: 'bench' } }) };
    },
    after: async ({ db }) => {
      await cleanUp(db, `DELETE FROM flow WHERE name LIKE 'new-%'`);
      await vacuumFlow(db);
    },
  },
  {
    key: 'bulk-delete-50',
    title: 'bulk delete 50',
    read: false,
    expectedStatus: 200,
    prepare: async ({ db, deleteBatches }, warmup) => {
      const requests = warmup ? Math.min(100, deleteBatches) : deleteBatches;
      // autocannon builds one request per connection ahead of time: leave room so no batch repeats.
      const batches = requests + 100;
      const first = nextBatch;
      nextBatch += batches;
      await seedDeleteBatches(db, first, first + batches - 1);
      // Merges the new names into the trigram index (GIN pending list) and sets the visibility
      // map, so each run starts from a clean table, as after the initial seed.
      await vacuumFlow(db);
      let b = first;
      return {
        maxRequests: requests,
        next: () =>
          post('/api/flows/bulk_delete', {
            flows: { name: { like_: deleteBatchPrefix(b++) } },
            limit: DELETE_BATCH_SIZE,
          }),
      };
    },
    after: async ({ db }) => {
      await cleanUp(db, `DELETE FROM flow WHERE name LIKE 'del-%'`);
      await vacuumFlow(db);
    },
    checkProbe: (body) => {
      const deleted = (body as { deleted?: unknown[] }).deleted;
      return deleted?.length === DELETE_BATCH_SIZE
        ? undefined
        : `expected ${DELETE_BATCH_SIZE} deleted ids, got ${JSON.stringify(body).slice(0, 200)}`;
    },
  },
];
