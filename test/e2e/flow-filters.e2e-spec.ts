import { randomUUID } from 'node:crypto';
import { seeder } from '../support/flow-filter-seed';
import { startTestApp, TestContext } from '../support/test-app';

/**
 * Every filter leaf and operator of compat F1-F11, Q1 and G1-G2 over REST, on one shared data set
 * (read-only tests). Each check asks /filter and /count, so count always equals the number
 * of rows filter returns.
 *
 *   alpha (tags etl, daily)  deployment `nightly` (tags prod, queue name `default`) in pool-a (process)
 *                            run frA1 COMPLETED (task trA1 COMPLETED; trA1 is the parent of gamma's run)
 *                            run frA2 FAILED, no task runs, mostly NULL columns
 *   beta  (tags etl)         deployment `weekly` (paused, no tags, no queue)
 *                            deployment `hourly` (tags dev) in pool-b (kubernetes)
 *                            run frB1 RUNNING (task trB1 RUNNING), run frB2 with NULL state
 *   gamma (no tags)          run frG1 SCHEDULED, a subflow run of trA1
 *   delta (no tags)          nothing
 */
describe('flow filters', () => {
  let t: TestContext;
  const ids: Record<string, string> = {};
  const U1 = randomUUID();
  const U2 = randomUUID();

  beforeAll(async () => {
    t = await startTestApp();
    await t.truncate();
    const s = seeder(t.sql);
    ids.alpha = await s.flow('alpha', { tags: ['etl', 'daily'] });
    ids.beta = await s.flow('beta', { tags: ['etl'] });
    ids.gamma = await s.flow('gamma');
    ids.delta = await s.flow('delta');

    ids.poolA = await s.workPool('pool-a', 'process');
    ids.poolB = await s.workPool('pool-b', 'kubernetes');
    const queueA = await s.workQueue(ids.poolA, 'default');
    const queueB = await s.workQueue(ids.poolB, 'k8s');
    ids.dA1 = await s.deployment(ids.alpha, {
      name: 'nightly',
      tags: ['prod'],
      work_queue_name: 'default',
      work_queue_id: queueA,
    });
    ids.dB1 = await s.deployment(ids.beta, { name: 'weekly', paused: true });
    ids.dB2 = await s.deployment(ids.beta, {
      name: 'hourly',
      tags: ['dev'],
      work_queue_name: 'k8s',
      work_queue_id: queueB,
    });

    ids.frA1 = await s.flowRun(ids.alpha, {
      name: 'run-alpha',
      tags: ['t1'],
      deployment_id: ids.dA1,
      work_queue_name: 'wq-1',
      state_type: 'COMPLETED',
      state_name: 'Completed',
      flow_version: '1.0',
      start_time: '2024-01-01T10:00:00Z',
      end_time: '2024-01-01T11:00:00Z',
      expected_start_time: '2024-01-01T09:00:00Z',
      next_scheduled_start_time: '2024-01-05T00:00:00Z',
      idempotency_key: 'key-a',
      created_by: { id: U1, type: 'DEPLOYMENT', display_value: 'nightly' },
    });
    ids.frA2 = await s.flowRun(ids.alpha, { name: 'second-alpha', state_type: 'FAILED', state_name: 'Failed' });
    ids.frB1 = await s.flowRun(ids.beta, {
      name: 'run-beta',
      state_type: 'RUNNING',
      state_name: 'Running',
      expected_start_time: '2024-02-01T00:00:00Z',
    });
    ids.frB2 = await s.flowRun(ids.beta, { name: 'run-beta-2' });
    ids.trA1 = await s.taskRun(ids.frA1, {
      name: 'task-alpha',
      tags: ['tt'],
      state_type: 'COMPLETED',
      state_name: 'Completed',
      start_time: '2024-01-01T10:05:00Z',
      end_time: '2024-01-01T10:10:00Z',
      expected_start_time: '2024-01-01T10:00:00Z',
    });
    ids.trB1 = await s.taskRun(ids.frB1, {
      name: 'task-beta',
      state_type: 'RUNNING',
      state_name: 'Running',
      expected_start_time: '2023-01-01T00:00:00Z',
    });
    ids.frG1 = await s.flowRun(ids.gamma, {
      name: 'sub-gamma',
      tags: ['t2'],
      deployment_id: ids.dB2,
      work_queue_name: 'wq-2',
      state_type: 'SCHEDULED',
      state_name: 'Scheduled',
      expected_start_time: '2024-03-01T00:00:00Z',
      next_scheduled_start_time: '2024-03-01T00:00:00Z',
      parent_task_run_id: ids.trA1,
      idempotency_key: 'key-g',
      created_by: { id: U2, type: 'AUTOMATION', display_value: 'auto' },
    });
  });
  afterAll(() => t.close());

  const ALL = ['alpha', 'beta', 'delta', 'gamma'];

  /** Names returned by /filter (NAME_ASC), checked against /count for the same body. */
  async function matching(template: object): Promise<string[]> {
    const body = resolveIds(template) as object;
    const [filter, count] = await Promise.all([
      t.http.post('/api/flows/filter').send(body),
      t.http.post('/api/flows/count').send(body),
    ]);
    expect(filter.status).toBe(200);
    expect(count.status).toBe(200);
    const names = (filter.body as { name: string }[]).map((f) => f.name);
    expect(count.body).toBe(names.length);
    return names;
  }

  type Case = [string, object, string[]];
  const check = (cases: Case[]) =>
    it.each(cases)('%s', async (_title, body, expected) => {
      expect(await matching(body)).toEqual(expected);
    });

  describe('no filter', () => {
    check([
      ['empty body returns every flow', {}, ALL],
      [
        'null filters are absent',
        { flows: null, flow_runs: null, task_runs: null, deployments: null, work_pools: null },
        ALL,
      ],
      ['an empty flow filter is TRUE', { flows: {} }, ALL],
    ]);
  });

  // Prefect's client dumps every unset field of its filter models as null (model_dump(mode="json")).
  describe('null like_ (Optional[str]) is not given', () => {
    check([
      [
        'flows.name',
        { flows: { operator: 'and_', id: null, deployment: null, name: { any_: ['alpha'], like_: null }, tags: null } },
        ['alpha'],
      ],
      ['flow_runs.name', { flow_runs: { name: { any_: ['run-alpha'], like_: null } } }, ['alpha']],
      ['task_runs.name', { task_runs: { name: { like_: null } } }, ['alpha', 'beta']],
      [
        'deployments.name and flow_or_deployment_name',
        { deployments: { name: { like_: null }, flow_or_deployment_name: { like_: null } } },
        ['alpha', 'beta'],
      ],
    ]);
  });

  describe('FlowFilter', () => {
    check([
      ['id.any_ matches', { flows: { id: { any_: [() => ids.alpha] } } }, ['alpha']],
      ['id.any_ without a match', { flows: { id: { any_: [randomUUID()] } } }, []],
      ['id.any_: [] matches nothing', { flows: { id: { any_: [] } } }, []],
      ['id.not_any_ excludes', { flows: { id: { not_any_: [() => ids.alpha] } } }, ['beta', 'delta', 'gamma']],
      ['id.not_any_: [] is ignored', { flows: { id: { not_any_: [] } } }, ALL],
      [
        'deployment.is_null_ true: flows without deployments',
        { flows: { deployment: { is_null_: true } } },
        ['delta', 'gamma'],
      ],
      [
        'deployment.is_null_ false: flows with deployments',
        { flows: { deployment: { is_null_: false } } },
        ['alpha', 'beta'],
      ],
      ['deployment.is_null_ null adds nothing', { flows: { deployment: { is_null_: null } } }, ALL],
      ['name.any_ matches exactly', { flows: { name: { any_: ['alpha', 'beta'] } } }, ['alpha', 'beta']],
      ['name.any_ is case-sensitive', { flows: { name: { any_: ['ALPHA'] } } }, []],
      ['name.any_: [] matches nothing', { flows: { name: { any_: [] } } }, []],
      ['name.like_ is a case-insensitive substring', { flows: { name: { like_: 'LPH' } } }, ['alpha']],
      ['name.like_ without a match', { flows: { name: { like_: 'zzz' } } }, []],
      ['name.like_ keeps _ as a wildcard', { flows: { name: { like_: 'D_L' } } }, ['delta']],
      ['name.like_ keeps % as a wildcard', { flows: { name: { like_: 'a%a' } } }, ['alpha', 'gamma']],
      ['name.like_ "%abc%" style input', { flows: { name: { like_: '%amm%' } } }, ['gamma']],
      ['name.like_: "" is ignored', { flows: { name: { like_: '' } } }, ALL],
      ['name any_ and like_ are ANDed', { flows: { name: { any_: ['alpha', 'beta'], like_: 'lph' } } }, ['alpha']],
      ['tags.all_ one tag', { flows: { tags: { all_: ['etl'] } } }, ['alpha', 'beta']],
      ['tags.all_ needs every tag', { flows: { tags: { all_: ['etl', 'daily'] } } }, ['alpha']],
      ['tags.all_ without a match', { flows: { tags: { all_: ['nope'] } } }, []],
      ['tags.all_: [] is ignored', { flows: { tags: { all_: [] } } }, ALL],
      ['tags.is_null_ true: empty tag list', { flows: { tags: { is_null_: true } } }, ['delta', 'gamma']],
      ['tags.is_null_ false: some tags', { flows: { tags: { is_null_: false } } }, ['alpha', 'beta']],
      [
        'tags operator or_',
        { flows: { tags: { operator: 'or_', all_: ['daily'], is_null_: true } } },
        ['alpha', 'delta', 'gamma'],
      ],
      [
        'children are ANDed by default',
        { flows: { name: { like_: 'a' }, tags: { all_: ['etl'] } } },
        ['alpha', 'beta'],
      ],
      [
        'explicit and_',
        { flows: { operator: 'and_', name: { any_: ['alpha', 'gamma'] }, tags: { is_null_: true } } },
        ['gamma'],
      ],
      [
        'operator or_ across children',
        { flows: { operator: 'or_', name: { any_: ['alpha'] }, tags: { is_null_: true } } },
        ['alpha', 'delta', 'gamma'],
      ],
      [
        'F4: an empty child under or_ makes the filter TRUE',
        { flows: { operator: 'or_', name: {}, tags: { all_: ['x'] } } },
        ALL,
      ],
      [
        'or_ with an any_: [] child keeps the other',
        { flows: { operator: 'or_', name: { any_: [] }, tags: { all_: ['daily'] } } },
        ['alpha'],
      ],
    ]);
  });

  describe('DeploymentFilter', () => {
    check([
      ['presence alone requires a deployment', { deployments: {} }, ['alpha', 'beta']],
      ['id.any_', { deployments: { id: { any_: [() => ids.dA1] } } }, ['alpha']],
      ['id.any_: [] matches nothing', { deployments: { id: { any_: [] } } }, []],
      ['id.not_any_', { deployments: { id: { not_any_: [() => ids.dA1] } } }, ['beta']],
      [
        'id.not_any_ excluding all',
        { deployments: { id: { not_any_: [() => ids.dA1, () => ids.dB1, () => ids.dB2] } } },
        [],
      ],
      ['name.any_', { deployments: { name: { any_: ['nightly'] } } }, ['alpha']],
      ['name.any_ without a match', { deployments: { name: { any_: ['alpha'] } } }, []],
      ['name.like_', { deployments: { name: { like_: 'EEK' } } }, ['beta']],
      ['name.like_ without a match', { deployments: { name: { like_: 'zzz' } } }, []],
      [
        'flow_or_deployment_name via the flow name',
        { deployments: { flow_or_deployment_name: { like_: 'ALPH' } } },
        ['alpha'],
      ],
      [
        'flow_or_deployment_name via the deployment name',
        { deployments: { flow_or_deployment_name: { like_: 'hour' } } },
        ['beta'],
      ],
      ['flow_or_deployment_name without a match', { deployments: { flow_or_deployment_name: { like_: 'gamma' } } }, []],
      ['paused.eq_ true', { deployments: { paused: { eq_: true } } }, ['beta']],
      ['paused.eq_ false', { deployments: { paused: { eq_: false } } }, ['alpha', 'beta']],
      ['tags.all_', { deployments: { tags: { all_: ['prod'] } } }, ['alpha']],
      ['tags.all_ without a match', { deployments: { tags: { all_: ['prod', 'dev'] } } }, []],
      ['tags.any_', { deployments: { tags: { any_: ['dev', 'x'] } } }, ['beta']],
      ['tags.any_: [] matches nothing', { deployments: { tags: { any_: [] } } }, []],
      ['tags.is_null_ true', { deployments: { tags: { is_null_: true } } }, ['beta']],
      ['tags.is_null_ false', { deployments: { tags: { is_null_: false } } }, ['alpha', 'beta']],
      ['work_queue_name.any_ (stored column)', { deployments: { work_queue_name: { any_: ['default'] } } }, ['alpha']],
      ['work_queue_name.any_ without a match', { deployments: { work_queue_name: { any_: ['nope'] } } }, []],
      [
        'concurrency_limit is accepted and ignored',
        { deployments: { concurrency_limit: { ge_: 5, le_: 1, is_null_: true } } },
        ['alpha', 'beta'],
      ],
      [
        'concurrency_limit adds no TRUE under or_',
        { deployments: { operator: 'or_', paused: { eq_: true }, concurrency_limit: { ge_: 1 } } },
        ['beta'],
      ],
      [
        'operator or_',
        { deployments: { operator: 'or_', name: { any_: ['nightly'] }, paused: { eq_: true } } },
        ['alpha', 'beta'],
      ],
    ]);
  });

  describe('WorkPoolFilter', () => {
    check([
      ['presence requires a deployment in a pool', { work_pools: {} }, ['alpha', 'beta']],
      ['id.any_', { work_pools: { id: { any_: [() => ids.poolA] } } }, ['alpha']],
      ['id.any_ without a match', { work_pools: { id: { any_: [randomUUID()] } } }, []],
      ['name.any_', { work_pools: { name: { any_: ['pool-b'] } } }, ['beta']],
      ['name.any_ without a match', { work_pools: { name: { any_: ['pool-c'] } } }, []],
      ['type.any_', { work_pools: { type: { any_: ['kubernetes'] } } }, ['beta']],
      ['type.any_: [] matches nothing', { work_pools: { type: { any_: [] } } }, []],
      [
        'operator or_',
        { work_pools: { operator: 'or_', name: { any_: ['pool-a'] }, type: { any_: ['kubernetes'] } } },
        ['alpha', 'beta'],
      ],
      ['same deployment: the paused one has no pool', { deployments: { paused: { eq_: true } }, work_pools: {} }, []],
      [
        'same deployment: unpaused and in pool-b',
        { deployments: { paused: { eq_: false } }, work_pools: { name: { any_: ['pool-b'] } } },
        ['beta'],
      ],
      [
        'same deployment: named weekly and in pool-b',
        { deployments: { name: { any_: ['weekly'] } }, work_pools: { name: { any_: ['pool-b'] } } },
        [],
      ],
    ]);
  });

  describe('FlowRunFilter', () => {
    check([
      ['presence alone requires a flow run', { flow_runs: {} }, ['alpha', 'beta', 'gamma']],
      ['id.any_', { flow_runs: { id: { any_: [() => ids.frB1] } } }, ['beta']],
      ['id.any_: [] matches nothing', { flow_runs: { id: { any_: [] } } }, []],
      ['id.not_any_', { flow_runs: { id: { not_any_: [() => ids.frA1, () => ids.frA2] } } }, ['beta', 'gamma']],
      ['name.any_', { flow_runs: { name: { any_: ['run-alpha'] } } }, ['alpha']],
      ['name.any_ without a match', { flow_runs: { name: { any_: ['RUN-ALPHA'] } } }, []],
      ['name.like_', { flow_runs: { name: { like_: 'SUB' } } }, ['gamma']],
      ['name.like_ without a match', { flow_runs: { name: { like_: 'zzz' } } }, []],
      ['tags.all_', { flow_runs: { tags: { all_: ['t1'] } } }, ['alpha']],
      ['tags.all_ without a match', { flow_runs: { tags: { all_: ['t1', 't2'] } } }, []],
      ['tags.any_', { flow_runs: { tags: { any_: ['t2', 'zz'] } } }, ['gamma']],
      ['tags.any_: [] matches nothing', { flow_runs: { tags: { any_: [] } } }, []],
      ['tags.is_null_ true', { flow_runs: { tags: { is_null_: true } } }, ['alpha', 'beta']],
      ['tags.is_null_ false', { flow_runs: { tags: { is_null_: false } } }, ['alpha', 'gamma']],
      ['deployment_id.any_', { flow_runs: { deployment_id: { any_: [() => ids.dA1] } } }, ['alpha']],
      ['deployment_id.any_ without a match', { flow_runs: { deployment_id: { any_: [() => ids.dB1] } } }, []],
      ['deployment_id.is_null_ true', { flow_runs: { deployment_id: { is_null_: true } } }, ['alpha', 'beta']],
      ['deployment_id.is_null_ false', { flow_runs: { deployment_id: { is_null_: false } } }, ['alpha', 'gamma']],
      ['work_queue_name.any_', { flow_runs: { work_queue_name: { any_: ['wq-1'] } } }, ['alpha']],
      ['work_queue_name.any_ without a match', { flow_runs: { work_queue_name: { any_: ['default'] } } }, []],
      ['work_queue_name.is_null_ true', { flow_runs: { work_queue_name: { is_null_: true } } }, ['alpha', 'beta']],
      ['work_queue_name.is_null_ false', { flow_runs: { work_queue_name: { is_null_: false } } }, ['alpha', 'gamma']],
      ['state.type.any_', { flow_runs: { state: { type: { any_: ['RUNNING'] } } } }, ['beta']],
      ['state.type.any_ without a match', { flow_runs: { state: { type: { any_: ['PAUSED'] } } } }, []],
      [
        'state.type.not_any_ (NULL state never matches)',
        { flow_runs: { state: { type: { not_any_: ['COMPLETED', 'RUNNING'] } } } },
        ['alpha', 'gamma'],
      ],
      ['state.name.any_', { flow_runs: { state: { name: { any_: ['Completed'] } } } }, ['alpha']],
      [
        'F8: state.name.not_any_ does not match NULL state_name',
        { flow_runs: { state: { name: { not_any_: ['Running'] } } } },
        ['alpha', 'gamma'],
      ],
      [
        'state type and name are ANDed',
        { flow_runs: { state: { type: { any_: ['COMPLETED'] }, name: { any_: ['Failed'] } } } },
        [],
      ],
      [
        'state operator or_',
        { flow_runs: { state: { operator: 'or_', type: { any_: ['COMPLETED'] }, name: { any_: ['Running'] } } } },
        ['alpha', 'beta'],
      ],
      [
        'Q1: an empty child is left out, not TRUE, under or_',
        { flow_runs: { state: { operator: 'or_', type: {}, name: { any_: ['Running'] } } } },
        ['beta'],
      ],
      [
        'Q1: not_any_: [] alone is left out',
        { flow_runs: { state: { operator: 'or_', type: { not_any_: [] }, name: { any_: ['Scheduled'] } } } },
        ['gamma'],
      ],
      [
        'Q1: a state with no kept child is TRUE',
        { flow_runs: { state: { type: {}, name: { not_any_: [] } } } },
        ['alpha', 'beta', 'gamma'],
      ],
      ['Q1: any_: [] is kept and matches nothing', { flow_runs: { state: { type: { any_: [] } } } }, []],
      [
        'deviation: any_ with not_any_ applies both',
        { flow_runs: { state: { type: { any_: ['COMPLETED', 'FAILED'], not_any_: ['FAILED'] } } } },
        ['alpha'],
      ],
      [
        'deviation: both conditions as one child under or_',
        {
          flow_runs: {
            state: {
              operator: 'or_',
              type: { any_: ['RUNNING'], not_any_: ['RUNNING'] },
              name: { any_: ['Scheduled'] },
            },
          },
        },
        ['gamma'],
      ],
      ['flow_version.any_', { flow_runs: { flow_version: { any_: ['1.0'] } } }, ['alpha']],
      ['flow_version.any_ without a match', { flow_runs: { flow_version: { any_: ['9'] } } }, []],
      ['start_time.before_ (inclusive)', { flow_runs: { start_time: { before_: '2024-01-01T10:00:00Z' } } }, ['alpha']],
      ['start_time.before_ without a match', { flow_runs: { start_time: { before_: '2024-01-01T09:59:59Z' } } }, []],
      [
        'start_time.after_ falls back to expected_start_time',
        { flow_runs: { start_time: { after_: '2024-01-15T00:00:00Z' } } },
        ['beta', 'gamma'],
      ],
      [
        'start_time.after_ with an offset (inclusive)',
        { flow_runs: { start_time: { after_: '2024-02-01T01:00:00+01:00' } } },
        ['beta', 'gamma'],
      ],
      [
        'start_time.after_ without an offset is UTC',
        { flow_runs: { start_time: { after_: '2024-02-01T00:00:01' } } },
        ['gamma'],
      ],
      [
        'start_time.is_null_ true tests start_time alone',
        { flow_runs: { start_time: { is_null_: true } } },
        ['alpha', 'beta', 'gamma'],
      ],
      ['start_time.is_null_ false', { flow_runs: { start_time: { is_null_: false } } }, ['alpha']],
      ['end_time.before_', { flow_runs: { end_time: { before_: '2024-01-02T00:00:00Z' } } }, ['alpha']],
      ['end_time.after_ without a match', { flow_runs: { end_time: { after_: '2024-01-02T00:00:00Z' } } }, []],
      ['end_time.is_null_ true', { flow_runs: { end_time: { is_null_: true } } }, ['alpha', 'beta', 'gamma']],
      ['end_time.is_null_ false', { flow_runs: { end_time: { is_null_: false } } }, ['alpha']],
      [
        'expected_start_time.before_',
        { flow_runs: { expected_start_time: { before_: '2024-01-15T00:00:00Z' } } },
        ['alpha'],
      ],
      [
        'expected_start_time.after_',
        { flow_runs: { expected_start_time: { after_: '2024-02-15T00:00:00Z' } } },
        ['gamma'],
      ],
      [
        'expected_start_time window without a match',
        { flow_runs: { expected_start_time: { after_: '2024-01-02T00:00:00Z', before_: '2024-01-03T00:00:00Z' } } },
        [],
      ],
      [
        'next_scheduled_start_time.before_',
        { flow_runs: { next_scheduled_start_time: { before_: '2024-02-01T00:00:00Z' } } },
        ['alpha'],
      ],
      [
        'next_scheduled_start_time.after_',
        { flow_runs: { next_scheduled_start_time: { after_: '2024-02-01T00:00:00Z' } } },
        ['gamma'],
      ],
      [
        'next_scheduled_start_time.after_ without a match',
        { flow_runs: { next_scheduled_start_time: { after_: '2025-01-01T00:00:00Z' } } },
        [],
      ],
      [
        'parent_flow_run_id.any_: subflow runs of the given runs',
        { flow_runs: { parent_flow_run_id: { any_: [() => ids.frA1] } } },
        ['gamma'],
      ],
      [
        'parent_flow_run_id.any_ without a match',
        { flow_runs: { parent_flow_run_id: { any_: [() => ids.frB1] } } },
        [],
      ],
      ['parent_flow_run_id.any_: [] matches nothing', { flow_runs: { parent_flow_run_id: { any_: [] } } }, []],
      ['parent_task_run_id.any_', { flow_runs: { parent_task_run_id: { any_: [() => ids.trA1] } } }, ['gamma']],
      [
        'parent_task_run_id.any_ without a match',
        { flow_runs: { parent_task_run_id: { any_: [() => ids.trB1] } } },
        [],
      ],
      [
        'parent_task_run_id.is_null_ true',
        { flow_runs: { parent_task_run_id: { is_null_: true } } },
        ['alpha', 'beta'],
      ],
      ['parent_task_run_id.is_null_ false', { flow_runs: { parent_task_run_id: { is_null_: false } } }, ['gamma']],
      ['idempotency_key.any_', { flow_runs: { idempotency_key: { any_: ['key-a'] } } }, ['alpha']],
      ['idempotency_key.any_ without a match', { flow_runs: { idempotency_key: { any_: ['KEY-A'] } } }, []],
      [
        'idempotency_key.not_any_ never matches a NULL key',
        { flow_runs: { idempotency_key: { not_any_: ['key-a'] } } },
        ['gamma'],
      ],
      [
        'created_by.id_ (any uuid spelling)',
        { flow_runs: { created_by: { id_: [() => U1.toUpperCase()] } } },
        ['alpha'],
      ],
      ['created_by.id_ without a match', { flow_runs: { created_by: { id_: [randomUUID()] } } }, []],
      ['created_by.id_: [] matches nothing', { flow_runs: { created_by: { id_: [] } } }, []],
      ['created_by.type_', { flow_runs: { created_by: { type_: ['AUTOMATION'] } } }, ['gamma']],
      ['created_by.type_ without a match', { flow_runs: { created_by: { type_: ['automation'] } } }, []],
      ['created_by.is_null_ true', { flow_runs: { created_by: { is_null_: true } } }, ['alpha', 'beta']],
      ['created_by.is_null_ false', { flow_runs: { created_by: { is_null_: false } } }, ['alpha', 'gamma']],
      [
        'created_by operator or_',
        { flow_runs: { created_by: { operator: 'or_', id_: [() => U1], type_: ['AUTOMATION'] } } },
        ['alpha', 'gamma'],
      ],
      [
        'operator or_ across children',
        { flow_runs: { operator: 'or_', state: { type: { any_: ['RUNNING'] } }, flow_version: { any_: ['1.0'] } } },
        ['alpha', 'beta'],
      ],
      [
        'or_ with an empty child is TRUE',
        { flow_runs: { operator: 'or_', name: {}, flow_version: { any_: ['9'] } } },
        ['alpha', 'beta', 'gamma'],
      ],
    ]);
  });

  describe('TaskRunFilter', () => {
    check([
      ['presence alone requires a flow run with a task run', { task_runs: {} }, ['alpha', 'beta']],
      ['id.any_', { task_runs: { id: { any_: [() => ids.trA1] } } }, ['alpha']],
      ['id.any_: [] matches nothing', { task_runs: { id: { any_: [] } } }, []],
      ['name.any_', { task_runs: { name: { any_: ['task-beta'] } } }, ['beta']],
      ['name.any_ without a match', { task_runs: { name: { any_: ['task'] } } }, []],
      ['name.like_', { task_runs: { name: { like_: 'ALPHA' } } }, ['alpha']],
      ['name.like_ without a match', { task_runs: { name: { like_: 'gamma' } } }, []],
      ['tags.all_', { task_runs: { tags: { all_: ['tt'] } } }, ['alpha']],
      ['tags.all_ without a match', { task_runs: { tags: { all_: ['t1'] } } }, []],
      ['tags.is_null_ true', { task_runs: { tags: { is_null_: true } } }, ['beta']],
      ['tags.is_null_ false', { task_runs: { tags: { is_null_: false } } }, ['alpha']],
      ['state.type.any_', { task_runs: { state: { type: { any_: ['RUNNING'] } } } }, ['beta']],
      ['state.type.any_ without a match', { task_runs: { state: { type: { any_: ['FAILED'] } } } }, []],
      ['state.name.any_', { task_runs: { state: { name: { any_: ['Completed'] } } } }, ['alpha']],
      [
        'Q1 on task runs: an empty child is left out under or_',
        { task_runs: { state: { operator: 'or_', type: {}, name: { any_: ['Completed'] } } } },
        ['alpha'],
      ],
      [
        'start_time.before_ compares start_time itself (inclusive)',
        { task_runs: { start_time: { before_: '2024-01-01T10:05:00Z' } } },
        ['alpha'],
      ],
      [
        'start_time.before_ never falls back to expected_start_time',
        { task_runs: { start_time: { before_: '2023-06-01T00:00:00Z' } } },
        [],
      ],
      ['start_time.after_ without a match', { task_runs: { start_time: { after_: '2024-01-01T10:05:01Z' } } }, []],
      ['start_time.is_null_ true', { task_runs: { start_time: { is_null_: true } } }, ['beta']],
      ['end_time.after_ (inclusive)', { task_runs: { end_time: { after_: '2024-01-01T10:10:00Z' } } }, ['alpha']],
      ['end_time.before_ without a match', { task_runs: { end_time: { before_: '2024-01-01T10:09:59Z' } } }, []],
      ['end_time.is_null_ true', { task_runs: { end_time: { is_null_: true } } }, ['beta']],
      [
        'expected_start_time.before_',
        { task_runs: { expected_start_time: { before_: '2023-06-01T00:00:00Z' } } },
        ['beta'],
      ],
      [
        'expected_start_time.after_',
        { task_runs: { expected_start_time: { after_: '2023-06-01T00:00:00Z' } } },
        ['alpha'],
      ],
      ['subflow_runs.exists_ true', { task_runs: { subflow_runs: { exists_: true } } }, ['alpha']],
      ['subflow_runs.exists_ false', { task_runs: { subflow_runs: { exists_: false } } }, ['beta']],
      ['flow_run_id: {} means IS NOT NULL', { task_runs: { flow_run_id: {} } }, ['alpha', 'beta']],
      [
        'flow_run_id.is_null_ true never matches inside the join',
        { task_runs: { flow_run_id: { is_null_: true, any_: [() => ids.frA1] } } },
        [],
      ],
      ['flow_run_id.any_', { task_runs: { flow_run_id: { any_: [() => ids.frB1] } } }, ['beta']],
      [
        'flow_run_id.any_ with is_null_ false',
        { task_runs: { flow_run_id: { is_null_: false, any_: [() => ids.frA1] } } },
        ['alpha'],
      ],
      ['flow_run_id.any_: [] matches nothing', { task_runs: { flow_run_id: { any_: [] } } }, []],
      [
        'flow_run_id both null: no condition',
        { task_runs: { flow_run_id: { is_null_: null, any_: null } } },
        ['alpha', 'beta'],
      ],
      [
        'operator or_',
        { task_runs: { operator: 'or_', name: { any_: ['task-alpha'] }, tags: { is_null_: true } } },
        ['alpha', 'beta'],
      ],
    ]);
  });

  describe('combining the groups (compat G1)', () => {
    check([
      [
        'same pair: FAILED run has no task run',
        { flow_runs: { state: { type: { any_: ['FAILED'] } } }, task_runs: {} },
        [],
      ],
      [
        'same pair: COMPLETED run with its task',
        { flow_runs: { state: { type: { any_: ['COMPLETED'] } } }, task_runs: { name: { any_: ['task-alpha'] } } },
        ['alpha'],
      ],
      ['same pair: run-beta-2 has no task run', { flow_runs: { name: { any_: ['run-beta-2'] } }, task_runs: {} }, []],
      [
        'same pair: run and task of different pairs',
        { flow_runs: { name: { any_: ['run-beta'] } }, task_runs: { name: { any_: ['task-alpha'] } } },
        [],
      ],
      [
        'groups are ANDed whatever the flow operator',
        { flows: { operator: 'or_', name: { any_: ['delta'] } }, deployments: {} },
        [],
      ],
      [
        'all groups together',
        {
          flows: { tags: { all_: ['etl'] } },
          deployments: { paused: { eq_: false } },
          work_pools: {},
          flow_runs: {},
          task_runs: {},
        },
        ['alpha', 'beta'],
      ],
      ['no duplicate flows for several matching rows', { flow_runs: {}, deployments: {} }, ['alpha', 'beta']],
    ]);
  });
});

/** Values written as `() => ids.x` are read at request time (it.each tables are built before seeding). */
function resolveIds(value: unknown): unknown {
  if (typeof value === 'function') return (value as () => unknown)();
  if (Array.isArray(value)) return value.map(resolveIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIds(v)]));
  return value;
}
