import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM, RequestContext } from '@mikro-orm/core';
import { classifyDatabaseError } from '../database/database-errors';
import { jsonb } from '../database/sql/sql-repository';
import { runQuery } from '../database/sql/sql-runner';
import { STATE_TYPES, StateType } from '../database/state-type';
import { coerceDateTime } from '../prefect-compat/validation/coerce';
import { KeyValueLabels, mergeLabels } from '../related/labels';
import { RUN_STATE_COLUMN_LIST, RUN_STATE_PLACEHOLDERS, runStateParams } from '../related/runs/run-repository';
import { withPolicyDefaults } from '../related/runs/run-policy';
import { runName } from '../related/runs/slugs';
import { appendRunState } from '../related/runs/state-history';
import { defaultStateName, RunTimes, StoredState } from '../related/runs/state-transition';
import { STATE_DETAILS_DEFAULTS } from '../related/runs/state.dto';
import { toUtcMicros } from '../related/runs/time';
import { TASK_RUN_POLICY_DEFAULTS } from '../related/task-runs/task-runs.repository';
import { InvalidEvent, objectId, PrefectEvent, relatedInRole } from './event';

/** What became of one event. */
export type RecordOutcome = 'recorded' | 'ignored' | 'discarded';

/** A database failure that a later attempt may get past: the event must not count as received. */
export class RecorderUnavailable extends Error {}

interface TaskRunFromEvent {
  id: string;
  flowRunId: string | null;
  name: string;
  task_key: string;
  dynamic_key: string;
  cache_key: string | null;
  cache_expiration: string | null;
  task_version: string | null;
  empirical_policy: Record<string, unknown>;
  tags: string[];
  labels: KeyValueLabels | null;
  task_inputs: Record<string, unknown>;
  flow_run_run_count: number;
  state: StoredState;
  times: RunTimes;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function field<T>(obj: Record<string, unknown>, key: string, check: (v: unknown) => T | undefined, fallback: T): T {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  const value = check(v);
  if (value === undefined) throw new InvalidEvent(`task_run.${key} is not valid`);
  return value;
}
const str = (v: unknown) => (typeof v === 'string' && !v.includes('\u0000') ? v : undefined);
const int = (v: unknown) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31 ? (v as number) : undefined;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const timestamp = (v: unknown) => {
  const t = coerceDateTime(v);
  return t === undefined ? undefined : toUtcMicros(t);
};
const obj = (v: unknown) => (isObject(v) ? v : undefined);
const strList = (v: unknown) =>
  Array.isArray(v) && v.every((s) => str(s) !== undefined) ? (v as string[]) : undefined;
const labels = (v: unknown) =>
  isObject(v) && Object.values(v).every((x) => ['string', 'number', 'boolean'].includes(typeof x))
    ? (v as KeyValueLabels)
    : undefined;

/**
 * Prefect's `task_run_from_event`: the task run an event describes, its state being the event's validated state
 * with the event's id and time (so a redelivered event is the same state), the run's fields from the payload.
 */
export function taskRunFromEvent(event: PrefectEvent): TaskRunFromEvent {
  const id = objectId(event.resource['prefect.resource.id'], 'prefect.task-run');
  if (!id) throw new InvalidEvent('the resource is not a task run');
  const flowRun = relatedInRole(event, 'flow-run');
  const flowRunId = flowRun ? (objectId(flowRun['prefect.resource.id'], 'prefect.flow-run') ?? null) : null;
  const validated = event.payload.validated_state;
  const run = event.payload.task_run;
  if (!isObject(validated) || !isObject(run)) throw new InvalidEvent('payload lacks validated_state or task_run');
  const type = validated.type as StateType;
  if (!STATE_TYPES.includes(type)) throw new InvalidEvent('validated_state.type is not a state type');
  const details = field(validated, 'state_details', obj, {});
  const stateName = field(validated, 'name', str, defaultStateName(type));
  const state: StoredState = {
    id: event.id,
    type,
    name: stateName,
    timestamp: event.occurred,
    message: field(validated, 'message', str, null as string | null),
    data: validated.data ?? null,
    state_details: { ...STATE_DETAILS_DEFAULTS, ...details, flow_run_id: flowRunId, task_run_id: id },
  };
  const task_key = field(run, 'task_key', str, undefined as string | undefined);
  const dynamic_key = field(run, 'dynamic_key', str, undefined as string | undefined);
  if (task_key === undefined || dynamic_key === undefined) throw new InvalidEvent('task_run lacks its keys');
  return {
    id,
    flowRunId,
    name: runName(field(run, 'name', str, null as string | null)),
    task_key,
    dynamic_key,
    cache_key: field(run, 'cache_key', str, null as string | null),
    cache_expiration: field(run, 'cache_expiration', timestamp, null as string | null),
    task_version: field(run, 'task_version', str, null as string | null),
    empirical_policy: withPolicyDefaults(TASK_RUN_POLICY_DEFAULTS, field(run, 'empirical_policy', obj, {})),
    tags: field(run, 'tags', strList, []),
    labels: field(run, 'labels', labels, null as KeyValueLabels | null),
    task_inputs: field(run, 'task_inputs', obj, {}),
    flow_run_run_count: field(run, 'flow_run_run_count', int, 0),
    state,
    times: {
      state_type: type,
      state_name: stateName,
      state_timestamp: event.occurred,
      expected_start_time: field(run, 'expected_start_time', timestamp, null as string | null),
      next_scheduled_start_time: field(run, 'next_scheduled_start_time', timestamp, null as string | null),
      start_time: field(run, 'start_time', timestamp, null as string | null),
      end_time: field(run, 'end_time', timestamp, null as string | null),
      run_count: field(run, 'run_count', int, 0),
      total_run_time: field(run, 'total_run_time', num, 0),
    },
  };
}

/** The task_run columns an event writes, besides the state columns, in one order for INSERT and UPDATE. */
const EVENT_COLUMNS: [column: string, cast: string][] = [
  ['name', ''],
  ['flow_run_id', '::uuid'],
  ['task_key', ''],
  ['dynamic_key', ''],
  ['cache_key', ''],
  ['cache_expiration', '::timestamptz'],
  ['task_version', ''],
  ['empirical_policy', '::jsonb'],
  ['tags', '::jsonb'],
  ['labels', '::jsonb'],
  ['task_inputs', '::jsonb'],
  ['flow_run_run_count', '::int'],
];

function eventParams(run: TaskRunFromEvent, labels: KeyValueLabels): unknown[] {
  return [
    run.name,
    run.flowRunId,
    run.task_key,
    run.dynamic_key,
    run.cache_key,
    run.cache_expiration,
    run.task_version,
    jsonb(run.empirical_policy),
    jsonb(run.tags),
    jsonb(labels),
    jsonb(run.task_inputs),
    run.flow_run_run_count,
    ...runStateParams(run.state, run.times),
  ];
}

const INSERT_SQL = `INSERT INTO task_run (id, ${EVENT_COLUMNS.map(([c]) => c).join(', ')}, ${RUN_STATE_COLUMN_LIST})
  VALUES (?, ${EVENT_COLUMNS.map(([, cast]) => `?${cast}`).join(', ')}, ${RUN_STATE_PLACEHOLDERS})
  ON CONFLICT DO NOTHING RETURNING id`;

// The newest state wins: an event older than the run's current state only adds to the history.
const UPDATE_SQL = `UPDATE task_run SET ${EVENT_COLUMNS.map(([c, cast]) => `${c} = ?${cast}`).join(', ')},
    ${RUN_STATE_COLUMN_LIST.split(', ')
      .map((c) => `${c} = new.${c}`)
      .join(', ')}, updated = now()
  FROM (SELECT ${RUN_STATE_PLACEHOLDERS.split(', ')
    .map((p, i) => `${p} AS ${RUN_STATE_COLUMN_LIST.split(', ')[i]}`)
    .join(', ')}) AS new
  WHERE task_run.id = ? AND (task_run.state_timestamp IS NULL OR task_run.state_timestamp < new.state_timestamp)`;

/**
 * Prefect's task-run recorder: task runs and their states from the `prefect.task-run.*` events clients send.
 * Each event is one transaction: the run is created, or updated when the event's state is newer than the run's
 * (so events arriving late or twice change nothing they should not), and the state joins the run's history once.
 */
@Injectable()
export class TaskRunRecorder {
  private readonly logger = new Logger('Events');

  constructor(private readonly orm: MikroORM) {}

  async record(event: PrefectEvent): Promise<RecordOutcome> {
    // As Prefect's recorder: only the task runs that clients orchestrate themselves.
    if (!event.event.startsWith('prefect.task-run.') || event.resource['prefect.orchestration'] !== 'client')
      return 'ignored';
    let run: TaskRunFromEvent;
    try {
      run = taskRunFromEvent(event);
    } catch (err) {
      if (!(err instanceof InvalidEvent)) throw err;
      this.logger.warn(`event ${event.id} (${event.event}) discarded: ${err.message}`);
      return 'discarded';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await RequestContext.create(this.orm.em, () =>
          this.orm.em.transactional((em) => this.write(em as EntityManager, run)),
        );
      } catch (err) {
        const failure = classifyDatabaseError(err);
        if (failure?.kind === 'retryable') throw new RecorderUnavailable(failure.reason);
        // A unique key taken between our look-up and insert: look again, once.
        if (failure?.kind === 'conflict' && attempt === 1) continue;
        if (failure) {
          this.logger.warn(`event ${event.id} (${event.event}) discarded: the database refused it (${failure.kind})`);
          return 'discarded';
        }
        throw err;
      }
    }
  }

  private async write(em: EntityManager, run: TaskRunFromEvent): Promise<RecordOutcome> {
    let labels: KeyValueLabels;
    if (run.flowRunId) {
      const [flowRun] = await runQuery<{ labels: KeyValueLabels | null }>(
        em,
        'SELECT labels FROM flow_run WHERE id = ?',
        [run.flowRunId],
        { prepare: true },
      );
      if (!flowRun) {
        this.logger.warn(`task run ${run.id} discarded: its flow run ${run.flowRunId} does not exist`);
        return 'discarded';
      }
      labels = mergeLabels(flowRun.labels, { 'prefect.flow-run.id': run.flowRunId }, run.labels);
    } else labels = mergeLabels(run.labels);

    // Prefect's choice of key: the run with this (flow run, task key, dynamic key) first, else the same id.
    const [existing] = await runQuery<{ id: string }>(
      em,
      `SELECT id FROM task_run
        WHERE id = ?::uuid
           OR (flow_run_id IS NOT DISTINCT FROM ?::uuid AND task_key = ? AND dynamic_key = ?)
        ORDER BY (id = ?::uuid) LIMIT 1 FOR UPDATE`,
      [run.id, run.flowRunId, run.task_key, run.dynamic_key, run.id],
      { prepare: true },
    );
    let runId: string;
    if (existing) {
      runId = existing.id;
      await runQuery(em, UPDATE_SQL, [...eventParams(run, labels), runId], { prepare: true });
    } else {
      const inserted = await runQuery<{ id: string }>(em, INSERT_SQL, [run.id, ...eventParams(run, labels)], {
        prepare: true,
      });
      // Another writer took the key in between: the retry finds its row.
      if (!inserted.length) throw Object.assign(new Error('task run key taken'), { code: '23505' });
      runId = run.id;
    }
    await appendRunState(em, 'task_run', runId, {
      ...run.state,
      state_details: { ...run.state.state_details, task_run_id: runId },
    });
    return 'recorded';
  }
}
